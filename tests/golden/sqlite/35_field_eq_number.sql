SELECT
  "c"."id" AS "customer_id"
FROM "customers" AS "c"
WHERE
  EXISTS(
    SELECT
      1
    FROM "customer_channels" AS "ch1"
    WHERE
      "ch1"."customer_id" = "c"."id"
      AND LOWER("ch1"."channel") COLLATE BINARY = 'whatsapp'
  )
  AND EXISTS(
    SELECT
      1
    FROM "customer_fields" AS "f2"
    WHERE
      "f2"."customer_id" = "c"."id"
      AND "f2"."field_key" COLLATE BINARY = 'orders'
      AND CASE
        WHEN LENGTH(
          CASE
            WHEN SUBSTRING(TRIM("f2"."field_value", ' '), 1, 1) COLLATE BINARY = '+'
            OR SUBSTRING(TRIM("f2"."field_value", ' '), 1, 1) COLLATE BINARY = '-'
            THEN SUBSTRING(TRIM("f2"."field_value", ' '), 2)
            ELSE TRIM("f2"."field_value", ' ')
          END
        ) > 0
        AND (
          LENGTH(
            REPLACE(
              REPLACE(
                REPLACE(
                  REPLACE(
                    REPLACE(
                      REPLACE(
                        REPLACE(
                          REPLACE(
                            REPLACE(
                              REPLACE(
                                CASE
                                  WHEN SUBSTRING(TRIM("f2"."field_value", ' '), 1, 1) COLLATE BINARY = '+'
                                  OR SUBSTRING(TRIM("f2"."field_value", ' '), 1, 1) COLLATE BINARY = '-'
                                  THEN SUBSTRING(TRIM("f2"."field_value", ' '), 2)
                                  ELSE TRIM("f2"."field_value", ' ')
                                END,
                                '0',
                                ''
                              ),
                              '1',
                              ''
                            ),
                            '2',
                            ''
                          ),
                          '3',
                          ''
                        ),
                        '4',
                        ''
                      ),
                      '5',
                      ''
                    ),
                    '6',
                    ''
                  ),
                  '7',
                  ''
                ),
                '8',
                ''
              ),
              '9',
              ''
            )
          ) = 0
          OR (
            REPLACE(
              REPLACE(
                REPLACE(
                  REPLACE(
                    REPLACE(
                      REPLACE(
                        REPLACE(
                          REPLACE(
                            REPLACE(
                              REPLACE(
                                CASE
                                  WHEN SUBSTRING(TRIM("f2"."field_value", ' '), 1, 1) COLLATE BINARY = '+'
                                  OR SUBSTRING(TRIM("f2"."field_value", ' '), 1, 1) COLLATE BINARY = '-'
                                  THEN SUBSTRING(TRIM("f2"."field_value", ' '), 2)
                                  ELSE TRIM("f2"."field_value", ' ')
                                END,
                                '0',
                                ''
                              ),
                              '1',
                              ''
                            ),
                            '2',
                            ''
                          ),
                          '3',
                          ''
                        ),
                        '4',
                        ''
                      ),
                      '5',
                      ''
                    ),
                    '6',
                    ''
                  ),
                  '7',
                  ''
                ),
                '8',
                ''
              ),
              '9',
              ''
            ) COLLATE BINARY = '.'
            AND NOT SUBSTRING(
              CASE
                WHEN SUBSTRING(TRIM("f2"."field_value", ' '), 1, 1) COLLATE BINARY = '+'
                OR SUBSTRING(TRIM("f2"."field_value", ' '), 1, 1) COLLATE BINARY = '-'
                THEN SUBSTRING(TRIM("f2"."field_value", ' '), 2)
                ELSE TRIM("f2"."field_value", ' ')
              END,
              1,
              1
            ) COLLATE BINARY = '.'
            AND NOT SUBSTRING(
              CASE
                WHEN SUBSTRING(TRIM("f2"."field_value", ' '), 1, 1) COLLATE BINARY = '+'
                OR SUBSTRING(TRIM("f2"."field_value", ' '), 1, 1) COLLATE BINARY = '-'
                THEN SUBSTRING(TRIM("f2"."field_value", ' '), 2)
                ELSE TRIM("f2"."field_value", ' ')
              END,
              LENGTH(
                CASE
                  WHEN SUBSTRING(TRIM("f2"."field_value", ' '), 1, 1) COLLATE BINARY = '+'
                  OR SUBSTRING(TRIM("f2"."field_value", ' '), 1, 1) COLLATE BINARY = '-'
                  THEN SUBSTRING(TRIM("f2"."field_value", ' '), 2)
                  ELSE TRIM("f2"."field_value", ' ')
                END
              ),
              1
            ) COLLATE BINARY = '.'
          )
        )
        THEN CAST(TRIM("f2"."field_value", ' ') AS REAL)
      END = 3
  )
