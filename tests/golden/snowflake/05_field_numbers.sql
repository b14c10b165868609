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
      END >= CAST(7 AS DOUBLE)
  )
  AND EXISTS(
    SELECT
      1
    FROM "CUSTOMER_FIELDS" AS "F3"
    WHERE
      "F3"."CUSTOMER_ID" = "C"."ID"
      AND "F3"."FIELD_KEY" = 'score'
      AND CASE
        WHEN LENGTH(
          CASE
            WHEN SUBSTRING(TRIM("F3"."FIELD_VALUE", ' '), 1, 1) = '+'
            OR SUBSTRING(TRIM("F3"."FIELD_VALUE", ' '), 1, 1) = '-'
            THEN SUBSTRING(TRIM("F3"."FIELD_VALUE", ' '), 2)
            ELSE TRIM("F3"."FIELD_VALUE", ' ')
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
                                  WHEN SUBSTRING(TRIM("F3"."FIELD_VALUE", ' '), 1, 1) = '+'
                                  OR SUBSTRING(TRIM("F3"."FIELD_VALUE", ' '), 1, 1) = '-'
                                  THEN SUBSTRING(TRIM("F3"."FIELD_VALUE", ' '), 2)
                                  ELSE TRIM("F3"."FIELD_VALUE", ' ')
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
                                  WHEN SUBSTRING(TRIM("F3"."FIELD_VALUE", ' '), 1, 1) = '+'
                                  OR SUBSTRING(TRIM("F3"."FIELD_VALUE", ' '), 1, 1) = '-'
                                  THEN SUBSTRING(TRIM("F3"."FIELD_VALUE", ' '), 2)
                                  ELSE TRIM("F3"."FIELD_VALUE", ' ')
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
                WHEN SUBSTRING(TRIM("F3"."FIELD_VALUE", ' '), 1, 1) = '+'
                OR SUBSTRING(TRIM("F3"."FIELD_VALUE", ' '), 1, 1) = '-'
                THEN SUBSTRING(TRIM("F3"."FIELD_VALUE", ' '), 2)
                ELSE TRIM("F3"."FIELD_VALUE", ' ')
              END,
              1,
              1
            ) = '.'
            AND NOT SUBSTRING(
              CASE
                WHEN SUBSTRING(TRIM("F3"."FIELD_VALUE", ' '), 1, 1) = '+'
                OR SUBSTRING(TRIM("F3"."FIELD_VALUE", ' '), 1, 1) = '-'
                THEN SUBSTRING(TRIM("F3"."FIELD_VALUE", ' '), 2)
                ELSE TRIM("F3"."FIELD_VALUE", ' ')
              END,
              LENGTH(
                CASE
                  WHEN SUBSTRING(TRIM("F3"."FIELD_VALUE", ' '), 1, 1) = '+'
                  OR SUBSTRING(TRIM("F3"."FIELD_VALUE", ' '), 1, 1) = '-'
                  THEN SUBSTRING(TRIM("F3"."FIELD_VALUE", ' '), 2)
                  ELSE TRIM("F3"."FIELD_VALUE", ' ')
                END
              ),
              1
            ) = '.'
          )
        )
        THEN CAST(TRIM("F3"."FIELD_VALUE", ' ') AS DOUBLE)
      END < CAST(-2.5 AS DOUBLE)
  )
  AND EXISTS(
    SELECT
      1
    FROM "CUSTOMER_FIELDS" AS "F4"
    WHERE
      "F4"."CUSTOMER_ID" = "C"."ID"
      AND "F4"."FIELD_KEY" = 'plan'
      AND (
        LOWER(TRIM("F4"."FIELD_VALUE", ' ')) IN ('gold', 'true')
        OR CASE
          WHEN LENGTH(
            CASE
              WHEN SUBSTRING(TRIM("F4"."FIELD_VALUE", ' '), 1, 1) = '+'
              OR SUBSTRING(TRIM("F4"."FIELD_VALUE", ' '), 1, 1) = '-'
              THEN SUBSTRING(TRIM("F4"."FIELD_VALUE", ' '), 2)
              ELSE TRIM("F4"."FIELD_VALUE", ' ')
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
                                    WHEN SUBSTRING(TRIM("F4"."FIELD_VALUE", ' '), 1, 1) = '+'
                                    OR SUBSTRING(TRIM("F4"."FIELD_VALUE", ' '), 1, 1) = '-'
                                    THEN SUBSTRING(TRIM("F4"."FIELD_VALUE", ' '), 2)
                                    ELSE TRIM("F4"."FIELD_VALUE", ' ')
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
                                    WHEN SUBSTRING(TRIM("F4"."FIELD_VALUE", ' '), 1, 1) = '+'
                                    OR SUBSTRING(TRIM("F4"."FIELD_VALUE", ' '), 1, 1) = '-'
                                    THEN SUBSTRING(TRIM("F4"."FIELD_VALUE", ' '), 2)
                                    ELSE TRIM("F4"."FIELD_VALUE", ' ')
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
                  WHEN SUBSTRING(TRIM("F4"."FIELD_VALUE", ' '), 1, 1) = '+'
                  OR SUBSTRING(TRIM("F4"."FIELD_VALUE", ' '), 1, 1) = '-'
                  THEN SUBSTRING(TRIM("F4"."FIELD_VALUE", ' '), 2)
                  ELSE TRIM("F4"."FIELD_VALUE", ' ')
                END,
                1,
                1
              ) = '.'
              AND NOT SUBSTRING(
                CASE
                  WHEN SUBSTRING(TRIM("F4"."FIELD_VALUE", ' '), 1, 1) = '+'
                  OR SUBSTRING(TRIM("F4"."FIELD_VALUE", ' '), 1, 1) = '-'
                  THEN SUBSTRING(TRIM("F4"."FIELD_VALUE", ' '), 2)
                  ELSE TRIM("F4"."FIELD_VALUE", ' ')
                END,
                LENGTH(
                  CASE
                    WHEN SUBSTRING(TRIM("F4"."FIELD_VALUE", ' '), 1, 1) = '+'
                    OR SUBSTRING(TRIM("F4"."FIELD_VALUE", ' '), 1, 1) = '-'
                    THEN SUBSTRING(TRIM("F4"."FIELD_VALUE", ' '), 2)
                    ELSE TRIM("F4"."FIELD_VALUE", ' ')
                  END
                ),
                1
              ) = '.'
            )
          )
          THEN CAST(TRIM("F4"."FIELD_VALUE", ' ') AS DOUBLE)
        END = CAST(3 AS DOUBLE)
      )
  )
  AND NOT EXISTS(
    SELECT
      1
    FROM "CUSTOMER_FIELDS" AS "F5"
    WHERE
      "F5"."CUSTOMER_ID" = "C"."ID"
      AND "F5"."FIELD_KEY" = 'plan type'
      AND NOT (
        "F5"."FIELD_VALUE" IS NULL OR TRIM("F5"."FIELD_VALUE", ' ') = ''
      )
  )
