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
      END >= 7
  )
  AND EXISTS(
    SELECT
      1
    FROM "customer_fields" AS "f3"
    WHERE
      "f3"."customer_id" = "c"."id"
      AND "f3"."field_key" COLLATE BINARY = 'score'
      AND CASE
        WHEN LENGTH(
          CASE
            WHEN SUBSTRING(TRIM("f3"."field_value", ' '), 1, 1) COLLATE BINARY = '+'
            OR SUBSTRING(TRIM("f3"."field_value", ' '), 1, 1) COLLATE BINARY = '-'
            THEN SUBSTRING(TRIM("f3"."field_value", ' '), 2)
            ELSE TRIM("f3"."field_value", ' ')
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
                                  WHEN SUBSTRING(TRIM("f3"."field_value", ' '), 1, 1) COLLATE BINARY = '+'
                                  OR SUBSTRING(TRIM("f3"."field_value", ' '), 1, 1) COLLATE BINARY = '-'
                                  THEN SUBSTRING(TRIM("f3"."field_value", ' '), 2)
                                  ELSE TRIM("f3"."field_value", ' ')
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
                                  WHEN SUBSTRING(TRIM("f3"."field_value", ' '), 1, 1) COLLATE BINARY = '+'
                                  OR SUBSTRING(TRIM("f3"."field_value", ' '), 1, 1) COLLATE BINARY = '-'
                                  THEN SUBSTRING(TRIM("f3"."field_value", ' '), 2)
                                  ELSE TRIM("f3"."field_value", ' ')
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
                WHEN SUBSTRING(TRIM("f3"."field_value", ' '), 1, 1) COLLATE BINARY = '+'
                OR SUBSTRING(TRIM("f3"."field_value", ' '), 1, 1) COLLATE BINARY = '-'
                THEN SUBSTRING(TRIM("f3"."field_value", ' '), 2)
                ELSE TRIM("f3"."field_value", ' ')
              END,
              1,
              1
            ) COLLATE BINARY = '.'
            AND NOT SUBSTRING(
              CASE
                WHEN SUBSTRING(TRIM("f3"."field_value", ' '), 1, 1) COLLATE BINARY = '+'
                OR SUBSTRING(TRIM("f3"."field_value", ' '), 1, 1) COLLATE BINARY = '-'
                THEN SUBSTRING(TRIM("f3"."field_value", ' '), 2)
                ELSE TRIM("f3"."field_value", ' ')
              END,
              LENGTH(
                CASE
                  WHEN SUBSTRING(TRIM("f3"."field_value", ' '), 1, 1) COLLATE BINARY = '+'
                  OR SUBSTRING(TRIM("f3"."field_value", ' '), 1, 1) COLLATE BINARY = '-'
                  THEN SUBSTRING(TRIM("f3"."field_value", ' '), 2)
                  ELSE TRIM("f3"."field_value", ' ')
                END
              ),
              1
            ) COLLATE BINARY = '.'
          )
        )
        THEN CAST(TRIM("f3"."field_value", ' ') AS REAL)
      END < -2.5
  )
  AND EXISTS(
    SELECT
      1
    FROM "customer_fields" AS "f4"
    WHERE
      "f4"."customer_id" = "c"."id"
      AND "f4"."field_key" COLLATE BINARY = 'plan'
      AND (
        LOWER(TRIM("f4"."field_value", ' ')) COLLATE BINARY IN ('gold', 'true')
        OR CASE
          WHEN LENGTH(
            CASE
              WHEN SUBSTRING(TRIM("f4"."field_value", ' '), 1, 1) COLLATE BINARY = '+'
              OR SUBSTRING(TRIM("f4"."field_value", ' '), 1, 1) COLLATE BINARY = '-'
              THEN SUBSTRING(TRIM("f4"."field_value", ' '), 2)
              ELSE TRIM("f4"."field_value", ' ')
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
                                    WHEN SUBSTRING(TRIM("f4"."field_value", ' '), 1, 1) COLLATE BINARY = '+'
                                    OR SUBSTRING(TRIM("f4"."field_value", ' '), 1, 1) COLLATE BINARY = '-'
                                    THEN SUBSTRING(TRIM("f4"."field_value", ' '), 2)
                                    ELSE TRIM("f4"."field_value", ' ')
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
                                    WHEN SUBSTRING(TRIM("f4"."field_value", ' '), 1, 1) COLLATE BINARY = '+'
                                    OR SUBSTRING(TRIM("f4"."field_value", ' '), 1, 1) COLLATE BINARY = '-'
                                    THEN SUBSTRING(TRIM("f4"."field_value", ' '), 2)
                                    ELSE TRIM("f4"."field_value", ' ')
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
                  WHEN SUBSTRING(TRIM("f4"."field_value", ' '), 1, 1) COLLATE BINARY = '+'
                  OR SUBSTRING(TRIM("f4"."field_value", ' '), 1, 1) COLLATE BINARY = '-'
                  THEN SUBSTRING(TRIM("f4"."field_value", ' '), 2)
                  ELSE TRIM("f4"."field_value", ' ')
                END,
                1,
                1
              ) COLLATE BINARY = '.'
              AND NOT SUBSTRING(
                CASE
                  WHEN SUBSTRING(TRIM("f4"."field_value", ' '), 1, 1) COLLATE BINARY = '+'
                  OR SUBSTRING(TRIM("f4"."field_value", ' '), 1, 1) COLLATE BINARY = '-'
                  THEN SUBSTRING(TRIM("f4"."field_value", ' '), 2)
                  ELSE TRIM("f4"."field_value", ' ')
                END,
                LENGTH(
                  CASE
                    WHEN SUBSTRING(TRIM("f4"."field_value", ' '), 1, 1) COLLATE BINARY = '+'
                    OR SUBSTRING(TRIM("f4"."field_value", ' '), 1, 1) COLLATE BINARY = '-'
                    THEN SUBSTRING(TRIM("f4"."field_value", ' '), 2)
                    ELSE TRIM("f4"."field_value", ' ')
                  END
                ),
                1
              ) COLLATE BINARY = '.'
            )
          )
          THEN CAST(TRIM("f4"."field_value", ' ') AS REAL)
        END = 3
      )
  )
  AND NOT EXISTS(
    SELECT
      1
    FROM "customer_fields" AS "f5"
    WHERE
      "f5"."customer_id" = "c"."id"
      AND "f5"."field_key" COLLATE BINARY = 'plan type'
      AND NOT (
        "f5"."field_value" IS NULL OR TRIM("f5"."field_value", ' ') COLLATE BINARY = ''
      )
  )
