SELECT
  `c`.`id` AS `customer_id`
FROM `customers` AS `c`
WHERE
  EXISTS(
    SELECT
      1
    FROM `customer_channels` AS `ch1`
    WHERE
      `ch1`.`customer_id` = `c`.`id` AND LOWER(`ch1`.`channel`) = 'whatsapp'
  )
  AND EXISTS(
    SELECT
      1
    FROM `customer_fields` AS `f2`
    WHERE
      `f2`.`customer_id` = `c`.`id`
      AND `f2`.`field_key` = 'orders'
      AND CASE
        WHEN LENGTH(
          CASE
            WHEN SUBSTRING(TRIM(' ' FROM `f2`.`field_value`), 1, 1) = '+'
            OR SUBSTRING(TRIM(' ' FROM `f2`.`field_value`), 1, 1) = '-'
            THEN SUBSTRING(TRIM(' ' FROM `f2`.`field_value`), 2)
            ELSE TRIM(' ' FROM `f2`.`field_value`)
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
                                  WHEN SUBSTRING(TRIM(' ' FROM `f2`.`field_value`), 1, 1) = '+'
                                  OR SUBSTRING(TRIM(' ' FROM `f2`.`field_value`), 1, 1) = '-'
                                  THEN SUBSTRING(TRIM(' ' FROM `f2`.`field_value`), 2)
                                  ELSE TRIM(' ' FROM `f2`.`field_value`)
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
                                  WHEN SUBSTRING(TRIM(' ' FROM `f2`.`field_value`), 1, 1) = '+'
                                  OR SUBSTRING(TRIM(' ' FROM `f2`.`field_value`), 1, 1) = '-'
                                  THEN SUBSTRING(TRIM(' ' FROM `f2`.`field_value`), 2)
                                  ELSE TRIM(' ' FROM `f2`.`field_value`)
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
                WHEN SUBSTRING(TRIM(' ' FROM `f2`.`field_value`), 1, 1) = '+'
                OR SUBSTRING(TRIM(' ' FROM `f2`.`field_value`), 1, 1) = '-'
                THEN SUBSTRING(TRIM(' ' FROM `f2`.`field_value`), 2)
                ELSE TRIM(' ' FROM `f2`.`field_value`)
              END,
              1,
              1
            ) = '.'
            AND NOT SUBSTRING(
              CASE
                WHEN SUBSTRING(TRIM(' ' FROM `f2`.`field_value`), 1, 1) = '+'
                OR SUBSTRING(TRIM(' ' FROM `f2`.`field_value`), 1, 1) = '-'
                THEN SUBSTRING(TRIM(' ' FROM `f2`.`field_value`), 2)
                ELSE TRIM(' ' FROM `f2`.`field_value`)
              END,
              LENGTH(
                CASE
                  WHEN SUBSTRING(TRIM(' ' FROM `f2`.`field_value`), 1, 1) = '+'
                  OR SUBSTRING(TRIM(' ' FROM `f2`.`field_value`), 1, 1) = '-'
                  THEN SUBSTRING(TRIM(' ' FROM `f2`.`field_value`), 2)
                  ELSE TRIM(' ' FROM `f2`.`field_value`)
                END
              ),
              1
            ) = '.'
          )
        )
        THEN CAST(TRIM(' ' FROM `f2`.`field_value`) AS DOUBLE)
      END >= CAST(7 AS DOUBLE)
  )
  AND EXISTS(
    SELECT
      1
    FROM `customer_fields` AS `f3`
    WHERE
      `f3`.`customer_id` = `c`.`id`
      AND `f3`.`field_key` = 'score'
      AND CASE
        WHEN LENGTH(
          CASE
            WHEN SUBSTRING(TRIM(' ' FROM `f3`.`field_value`), 1, 1) = '+'
            OR SUBSTRING(TRIM(' ' FROM `f3`.`field_value`), 1, 1) = '-'
            THEN SUBSTRING(TRIM(' ' FROM `f3`.`field_value`), 2)
            ELSE TRIM(' ' FROM `f3`.`field_value`)
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
                                  WHEN SUBSTRING(TRIM(' ' FROM `f3`.`field_value`), 1, 1) = '+'
                                  OR SUBSTRING(TRIM(' ' FROM `f3`.`field_value`), 1, 1) = '-'
                                  THEN SUBSTRING(TRIM(' ' FROM `f3`.`field_value`), 2)
                                  ELSE TRIM(' ' FROM `f3`.`field_value`)
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
                                  WHEN SUBSTRING(TRIM(' ' FROM `f3`.`field_value`), 1, 1) = '+'
                                  OR SUBSTRING(TRIM(' ' FROM `f3`.`field_value`), 1, 1) = '-'
                                  THEN SUBSTRING(TRIM(' ' FROM `f3`.`field_value`), 2)
                                  ELSE TRIM(' ' FROM `f3`.`field_value`)
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
                WHEN SUBSTRING(TRIM(' ' FROM `f3`.`field_value`), 1, 1) = '+'
                OR SUBSTRING(TRIM(' ' FROM `f3`.`field_value`), 1, 1) = '-'
                THEN SUBSTRING(TRIM(' ' FROM `f3`.`field_value`), 2)
                ELSE TRIM(' ' FROM `f3`.`field_value`)
              END,
              1,
              1
            ) = '.'
            AND NOT SUBSTRING(
              CASE
                WHEN SUBSTRING(TRIM(' ' FROM `f3`.`field_value`), 1, 1) = '+'
                OR SUBSTRING(TRIM(' ' FROM `f3`.`field_value`), 1, 1) = '-'
                THEN SUBSTRING(TRIM(' ' FROM `f3`.`field_value`), 2)
                ELSE TRIM(' ' FROM `f3`.`field_value`)
              END,
              LENGTH(
                CASE
                  WHEN SUBSTRING(TRIM(' ' FROM `f3`.`field_value`), 1, 1) = '+'
                  OR SUBSTRING(TRIM(' ' FROM `f3`.`field_value`), 1, 1) = '-'
                  THEN SUBSTRING(TRIM(' ' FROM `f3`.`field_value`), 2)
                  ELSE TRIM(' ' FROM `f3`.`field_value`)
                END
              ),
              1
            ) = '.'
          )
        )
        THEN CAST(TRIM(' ' FROM `f3`.`field_value`) AS DOUBLE)
      END < CAST(-2.5 AS DOUBLE)
  )
  AND EXISTS(
    SELECT
      1
    FROM `customer_fields` AS `f4`
    WHERE
      `f4`.`customer_id` = `c`.`id`
      AND `f4`.`field_key` = 'plan'
      AND (
        LOWER(TRIM(' ' FROM `f4`.`field_value`)) IN ('gold', 'true')
        OR CASE
          WHEN LENGTH(
            CASE
              WHEN SUBSTRING(TRIM(' ' FROM `f4`.`field_value`), 1, 1) = '+'
              OR SUBSTRING(TRIM(' ' FROM `f4`.`field_value`), 1, 1) = '-'
              THEN SUBSTRING(TRIM(' ' FROM `f4`.`field_value`), 2)
              ELSE TRIM(' ' FROM `f4`.`field_value`)
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
                                    WHEN SUBSTRING(TRIM(' ' FROM `f4`.`field_value`), 1, 1) = '+'
                                    OR SUBSTRING(TRIM(' ' FROM `f4`.`field_value`), 1, 1) = '-'
                                    THEN SUBSTRING(TRIM(' ' FROM `f4`.`field_value`), 2)
                                    ELSE TRIM(' ' FROM `f4`.`field_value`)
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
                                    WHEN SUBSTRING(TRIM(' ' FROM `f4`.`field_value`), 1, 1) = '+'
                                    OR SUBSTRING(TRIM(' ' FROM `f4`.`field_value`), 1, 1) = '-'
                                    THEN SUBSTRING(TRIM(' ' FROM `f4`.`field_value`), 2)
                                    ELSE TRIM(' ' FROM `f4`.`field_value`)
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
                  WHEN SUBSTRING(TRIM(' ' FROM `f4`.`field_value`), 1, 1) = '+'
                  OR SUBSTRING(TRIM(' ' FROM `f4`.`field_value`), 1, 1) = '-'
                  THEN SUBSTRING(TRIM(' ' FROM `f4`.`field_value`), 2)
                  ELSE TRIM(' ' FROM `f4`.`field_value`)
                END,
                1,
                1
              ) = '.'
              AND NOT SUBSTRING(
                CASE
                  WHEN SUBSTRING(TRIM(' ' FROM `f4`.`field_value`), 1, 1) = '+'
                  OR SUBSTRING(TRIM(' ' FROM `f4`.`field_value`), 1, 1) = '-'
                  THEN SUBSTRING(TRIM(' ' FROM `f4`.`field_value`), 2)
                  ELSE TRIM(' ' FROM `f4`.`field_value`)
                END,
                LENGTH(
                  CASE
                    WHEN SUBSTRING(TRIM(' ' FROM `f4`.`field_value`), 1, 1) = '+'
                    OR SUBSTRING(TRIM(' ' FROM `f4`.`field_value`), 1, 1) = '-'
                    THEN SUBSTRING(TRIM(' ' FROM `f4`.`field_value`), 2)
                    ELSE TRIM(' ' FROM `f4`.`field_value`)
                  END
                ),
                1
              ) = '.'
            )
          )
          THEN CAST(TRIM(' ' FROM `f4`.`field_value`) AS DOUBLE)
        END = CAST(3 AS DOUBLE)
      )
  )
  AND NOT EXISTS(
    SELECT
      1
    FROM `customer_fields` AS `f5`
    WHERE
      `f5`.`customer_id` = `c`.`id`
      AND `f5`.`field_key` = 'plan type'
      AND NOT (
        `f5`.`field_value` IS NULL OR TRIM(' ' FROM `f5`.`field_value`) = ''
      )
  )
