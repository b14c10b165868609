SELECT
  `c`.`id` AS `customer_id`
FROM `customers` AS `c`
WHERE
  EXISTS(
    SELECT
      1
    FROM `customer_channels` AS `ch1`
    WHERE
      `ch1`.`customer_id` = `c`.`id`
      AND CAST(CAST(LOWER(
        UPPER(
          CAST(`ch1`.`channel` AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_uca1400_as_cs
        )
      ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('whatsapp' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
  )
  AND EXISTS(
    SELECT
      1
    FROM `customer_fields` AS `f2`
    WHERE
      `f2`.`customer_id` = `c`.`id`
      AND CAST(CAST(`f2`.`field_key` AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('orders' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
      AND CASE
        WHEN CHAR_LENGTH(
          CASE
            WHEN CAST(CAST(SUBSTRING(TRIM(' ' FROM `f2`.`field_value`), 1, 1) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('+' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
            OR CAST(CAST(SUBSTRING(TRIM(' ' FROM `f2`.`field_value`), 1, 1) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('-' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
            THEN SUBSTRING(TRIM(' ' FROM `f2`.`field_value`), 2)
            ELSE TRIM(' ' FROM `f2`.`field_value`)
          END
        ) > 0
        AND (
          CHAR_LENGTH(
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
                                  WHEN CAST(CAST(SUBSTRING(TRIM(' ' FROM `f2`.`field_value`), 1, 1) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('+' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
                                  OR CAST(CAST(SUBSTRING(TRIM(' ' FROM `f2`.`field_value`), 1, 1) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('-' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
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
            CAST(CAST(REPLACE(
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
                                  WHEN CAST(CAST(SUBSTRING(TRIM(' ' FROM `f2`.`field_value`), 1, 1) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('+' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
                                  OR CAST(CAST(SUBSTRING(TRIM(' ' FROM `f2`.`field_value`), 1, 1) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('-' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
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
            ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('.' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
            AND NOT CAST(CAST(SUBSTRING(
              CASE
                WHEN CAST(CAST(SUBSTRING(TRIM(' ' FROM `f2`.`field_value`), 1, 1) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('+' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
                OR CAST(CAST(SUBSTRING(TRIM(' ' FROM `f2`.`field_value`), 1, 1) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('-' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
                THEN SUBSTRING(TRIM(' ' FROM `f2`.`field_value`), 2)
                ELSE TRIM(' ' FROM `f2`.`field_value`)
              END,
              1,
              1
            ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('.' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
            AND NOT CAST(CAST(SUBSTRING(
              CASE
                WHEN CAST(CAST(SUBSTRING(TRIM(' ' FROM `f2`.`field_value`), 1, 1) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('+' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
                OR CAST(CAST(SUBSTRING(TRIM(' ' FROM `f2`.`field_value`), 1, 1) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('-' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
                THEN SUBSTRING(TRIM(' ' FROM `f2`.`field_value`), 2)
                ELSE TRIM(' ' FROM `f2`.`field_value`)
              END,
              CHAR_LENGTH(
                CASE
                  WHEN CAST(CAST(SUBSTRING(TRIM(' ' FROM `f2`.`field_value`), 1, 1) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('+' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
                  OR CAST(CAST(SUBSTRING(TRIM(' ' FROM `f2`.`field_value`), 1, 1) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('-' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
                  THEN SUBSTRING(TRIM(' ' FROM `f2`.`field_value`), 2)
                  ELSE TRIM(' ' FROM `f2`.`field_value`)
                END
              ),
              1
            ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('.' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
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
      AND CAST(CAST(`f3`.`field_key` AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('score' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
      AND CASE
        WHEN CHAR_LENGTH(
          CASE
            WHEN CAST(CAST(SUBSTRING(TRIM(' ' FROM `f3`.`field_value`), 1, 1) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('+' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
            OR CAST(CAST(SUBSTRING(TRIM(' ' FROM `f3`.`field_value`), 1, 1) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('-' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
            THEN SUBSTRING(TRIM(' ' FROM `f3`.`field_value`), 2)
            ELSE TRIM(' ' FROM `f3`.`field_value`)
          END
        ) > 0
        AND (
          CHAR_LENGTH(
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
                                  WHEN CAST(CAST(SUBSTRING(TRIM(' ' FROM `f3`.`field_value`), 1, 1) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('+' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
                                  OR CAST(CAST(SUBSTRING(TRIM(' ' FROM `f3`.`field_value`), 1, 1) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('-' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
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
            CAST(CAST(REPLACE(
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
                                  WHEN CAST(CAST(SUBSTRING(TRIM(' ' FROM `f3`.`field_value`), 1, 1) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('+' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
                                  OR CAST(CAST(SUBSTRING(TRIM(' ' FROM `f3`.`field_value`), 1, 1) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('-' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
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
            ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('.' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
            AND NOT CAST(CAST(SUBSTRING(
              CASE
                WHEN CAST(CAST(SUBSTRING(TRIM(' ' FROM `f3`.`field_value`), 1, 1) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('+' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
                OR CAST(CAST(SUBSTRING(TRIM(' ' FROM `f3`.`field_value`), 1, 1) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('-' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
                THEN SUBSTRING(TRIM(' ' FROM `f3`.`field_value`), 2)
                ELSE TRIM(' ' FROM `f3`.`field_value`)
              END,
              1,
              1
            ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('.' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
            AND NOT CAST(CAST(SUBSTRING(
              CASE
                WHEN CAST(CAST(SUBSTRING(TRIM(' ' FROM `f3`.`field_value`), 1, 1) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('+' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
                OR CAST(CAST(SUBSTRING(TRIM(' ' FROM `f3`.`field_value`), 1, 1) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('-' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
                THEN SUBSTRING(TRIM(' ' FROM `f3`.`field_value`), 2)
                ELSE TRIM(' ' FROM `f3`.`field_value`)
              END,
              CHAR_LENGTH(
                CASE
                  WHEN CAST(CAST(SUBSTRING(TRIM(' ' FROM `f3`.`field_value`), 1, 1) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('+' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
                  OR CAST(CAST(SUBSTRING(TRIM(' ' FROM `f3`.`field_value`), 1, 1) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('-' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
                  THEN SUBSTRING(TRIM(' ' FROM `f3`.`field_value`), 2)
                  ELSE TRIM(' ' FROM `f3`.`field_value`)
                END
              ),
              1
            ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('.' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
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
      AND CAST(CAST(`f4`.`field_key` AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('plan' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
      AND (
        CAST(CAST(LOWER(
          UPPER(
            CAST(TRIM(' ' FROM `f4`.`field_value`) AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_uca1400_as_cs
          )
        ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) IN (
          CAST(CAST('gold' AS CHAR CHARACTER SET utf8mb4) AS BINARY),
          CAST(CAST('true' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
        )
        OR CASE
          WHEN CHAR_LENGTH(
            CASE
              WHEN CAST(CAST(SUBSTRING(TRIM(' ' FROM `f4`.`field_value`), 1, 1) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('+' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
              OR CAST(CAST(SUBSTRING(TRIM(' ' FROM `f4`.`field_value`), 1, 1) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('-' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
              THEN SUBSTRING(TRIM(' ' FROM `f4`.`field_value`), 2)
              ELSE TRIM(' ' FROM `f4`.`field_value`)
            END
          ) > 0
          AND (
            CHAR_LENGTH(
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
                                    WHEN CAST(CAST(SUBSTRING(TRIM(' ' FROM `f4`.`field_value`), 1, 1) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('+' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
                                    OR CAST(CAST(SUBSTRING(TRIM(' ' FROM `f4`.`field_value`), 1, 1) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('-' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
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
              CAST(CAST(REPLACE(
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
                                    WHEN CAST(CAST(SUBSTRING(TRIM(' ' FROM `f4`.`field_value`), 1, 1) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('+' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
                                    OR CAST(CAST(SUBSTRING(TRIM(' ' FROM `f4`.`field_value`), 1, 1) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('-' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
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
              ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('.' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
              AND NOT CAST(CAST(SUBSTRING(
                CASE
                  WHEN CAST(CAST(SUBSTRING(TRIM(' ' FROM `f4`.`field_value`), 1, 1) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('+' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
                  OR CAST(CAST(SUBSTRING(TRIM(' ' FROM `f4`.`field_value`), 1, 1) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('-' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
                  THEN SUBSTRING(TRIM(' ' FROM `f4`.`field_value`), 2)
                  ELSE TRIM(' ' FROM `f4`.`field_value`)
                END,
                1,
                1
              ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('.' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
              AND NOT CAST(CAST(SUBSTRING(
                CASE
                  WHEN CAST(CAST(SUBSTRING(TRIM(' ' FROM `f4`.`field_value`), 1, 1) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('+' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
                  OR CAST(CAST(SUBSTRING(TRIM(' ' FROM `f4`.`field_value`), 1, 1) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('-' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
                  THEN SUBSTRING(TRIM(' ' FROM `f4`.`field_value`), 2)
                  ELSE TRIM(' ' FROM `f4`.`field_value`)
                END,
                CHAR_LENGTH(
                  CASE
                    WHEN CAST(CAST(SUBSTRING(TRIM(' ' FROM `f4`.`field_value`), 1, 1) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('+' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
                    OR CAST(CAST(SUBSTRING(TRIM(' ' FROM `f4`.`field_value`), 1, 1) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('-' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
                    THEN SUBSTRING(TRIM(' ' FROM `f4`.`field_value`), 2)
                    ELSE TRIM(' ' FROM `f4`.`field_value`)
                  END
                ),
                1
              ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('.' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
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
      AND CAST(CAST(`f5`.`field_key` AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('plan type' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
      AND NOT (
        `f5`.`field_value` IS NULL
        OR CAST(CAST(TRIM(' ' FROM `f5`.`field_value`) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
      )
  )
