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
      AND LOWER("ch1"."channel" COLLATE "und-x-icu") = 'whatsapp'
  )
  AND EXISTS(
    SELECT
      1
    FROM "customer_fields" AS "f2"
    WHERE
      "f2"."customer_id" = "c"."id"
      AND "f2"."field_key" = 'orders'
      AND CASE
        WHEN LENGTH(
          CASE
            WHEN SUBSTRING(TRIM(' ' FROM "f2"."field_value") FROM 1 FOR 1) = '+'
            OR SUBSTRING(TRIM(' ' FROM "f2"."field_value") FROM 1 FOR 1) = '-'
            THEN SUBSTRING(TRIM(' ' FROM "f2"."field_value") FROM 2)
            ELSE TRIM(' ' FROM "f2"."field_value")
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
                                  WHEN SUBSTRING(TRIM(' ' FROM "f2"."field_value") FROM 1 FOR 1) = '+'
                                  OR SUBSTRING(TRIM(' ' FROM "f2"."field_value") FROM 1 FOR 1) = '-'
                                  THEN SUBSTRING(TRIM(' ' FROM "f2"."field_value") FROM 2)
                                  ELSE TRIM(' ' FROM "f2"."field_value")
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
                                  WHEN SUBSTRING(TRIM(' ' FROM "f2"."field_value") FROM 1 FOR 1) = '+'
                                  OR SUBSTRING(TRIM(' ' FROM "f2"."field_value") FROM 1 FOR 1) = '-'
                                  THEN SUBSTRING(TRIM(' ' FROM "f2"."field_value") FROM 2)
                                  ELSE TRIM(' ' FROM "f2"."field_value")
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
            AND NOT SUBSTRING(CASE
              WHEN SUBSTRING(TRIM(' ' FROM "f2"."field_value") FROM 1 FOR 1) = '+'
              OR SUBSTRING(TRIM(' ' FROM "f2"."field_value") FROM 1 FOR 1) = '-'
              THEN SUBSTRING(TRIM(' ' FROM "f2"."field_value") FROM 2)
              ELSE TRIM(' ' FROM "f2"."field_value")
            END FROM 1 FOR 1) = '.'
            AND NOT SUBSTRING(CASE
              WHEN SUBSTRING(TRIM(' ' FROM "f2"."field_value") FROM 1 FOR 1) = '+'
              OR SUBSTRING(TRIM(' ' FROM "f2"."field_value") FROM 1 FOR 1) = '-'
              THEN SUBSTRING(TRIM(' ' FROM "f2"."field_value") FROM 2)
              ELSE TRIM(' ' FROM "f2"."field_value")
            END FROM LENGTH(
              CASE
                WHEN SUBSTRING(TRIM(' ' FROM "f2"."field_value") FROM 1 FOR 1) = '+'
                OR SUBSTRING(TRIM(' ' FROM "f2"."field_value") FROM 1 FOR 1) = '-'
                THEN SUBSTRING(TRIM(' ' FROM "f2"."field_value") FROM 2)
                ELSE TRIM(' ' FROM "f2"."field_value")
              END
            ) FOR 1) = '.'
          )
        )
        THEN CASE
          WHEN CAST(TRIM(' ' FROM "f2"."field_value") AS DECIMAL) >= 1.7976931348623158079e308
          THEN CAST('Infinity' AS DOUBLE PRECISION)
          WHEN CAST(TRIM(' ' FROM "f2"."field_value") AS DECIMAL) <= -1.7976931348623158079E+308
          THEN CAST('-Infinity' AS DOUBLE PRECISION)
          WHEN ABS(CAST(TRIM(' ' FROM "f2"."field_value") AS DECIMAL)) < 2.4703282292062328e-324
          THEN CAST(0 AS DOUBLE PRECISION)
          ELSE CAST(TRIM(' ' FROM "f2"."field_value") AS DOUBLE PRECISION)
        END
      END <= CAST(3.50 AS DOUBLE PRECISION)
  )
