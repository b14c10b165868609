SELECT
  "C"."ID" AS "customer_id"
FROM "CUSTOMERS" AS "C"
WHERE
  EXISTS(
    SELECT
      1
    FROM "CUSTOMER_CHANNELS" AS "CH1"
    WHERE
      "CH1"."CUSTOMER_ID" = "C"."ID" AND LOWER("CH1"."CHANNEL") = 'whatsapp'
  )
  AND EXISTS(
    SELECT
      1
    FROM "CUSTOMER_FIELDS" AS "F2"
    WHERE
      "F2"."CUSTOMER_ID" = "C"."ID"
      AND "F2"."FIELD_KEY" = 'orders'
      AND CASE
        WHEN LENGTH(
          CASE
            WHEN SUBSTRING(TRIM("F2"."FIELD_VALUE", ' '), 1, 1) = '+'
            OR SUBSTRING(TRIM("F2"."FIELD_VALUE", ' '), 1, 1) = '-'
            THEN SUBSTRING(TRIM("F2"."FIELD_VALUE", ' '), 2)
            ELSE TRIM("F2"."FIELD_VALUE", ' ')
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
                                  WHEN SUBSTRING(TRIM("F2"."FIELD_VALUE", ' '), 1, 1) = '+'
                                  OR SUBSTRING(TRIM("F2"."FIELD_VALUE", ' '), 1, 1) = '-'
                                  THEN SUBSTRING(TRIM("F2"."FIELD_VALUE", ' '), 2)
                                  ELSE TRIM("F2"."FIELD_VALUE", ' ')
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
                                  WHEN SUBSTRING(TRIM("F2"."FIELD_VALUE", ' '), 1, 1) = '+'
                                  OR SUBSTRING(TRIM("F2"."FIELD_VALUE", ' '), 1, 1) = '-'
                                  THEN SUBSTRING(TRIM("F2"."FIELD_VALUE", ' '), 2)
                                  ELSE TRIM("F2"."FIELD_VALUE", ' ')
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
            ) = '.'
            AND NOT SUBSTRING(
              CASE
                WHEN SUBSTRING(TRIM("F2"."FIELD_VALUE", ' '), 1, 1) = '+'
                OR SUBSTRING(TRIM("F2"."FIELD_VALUE", ' '), 1, 1) = '-'
                THEN SUBSTRING(TRIM("F2"."FIELD_VALUE", ' '), 2)
                ELSE TRIM("F2"."FIELD_VALUE", ' ')
              END,
              1,
              1
            ) = '.'
            AND NOT SUBSTRING(
              CASE
                WHEN SUBSTRING(TRIM("F2"."FIELD_VALUE", ' '), 1, 1) = '+'
                OR SUBSTRING(TRIM("F2"."FIELD_VALUE", ' '), 1, 1) = '-'
                THEN SUBSTRING(TRIM("F2"."FIELD_VALUE", ' '), 2)
                ELSE TRIM("F2"."FIELD_VALUE", ' ')
              END,
              LENGTH(
                CASE
                  WHEN SUBSTRING(TRIM("F2"."FIELD_VALUE", ' '), 1, 1) = '+'
                  OR SUBSTRING(TRIM("F2"."FIELD_VALUE", ' '), 1, 1) = '-'
                  THEN SUBSTRING(TRIM("F2"."FIELD_VALUE", ' '), 2)
                  ELSE TRIM("F2"."FIELD_VALUE", ' ')
                END
              ),
              1
            ) = '.'
          )
        )
        THEN CAST(TRIM("F2"."FIELD_VALUE", ' ') AS DOUBLE)
      END < CAST(3 AS DOUBLE)
  )
