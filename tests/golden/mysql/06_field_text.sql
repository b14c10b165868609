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
      ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('telegram' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
  )
  AND EXISTS(
    SELECT
      1
    FROM `customer_fields` AS `f2`
    WHERE
      `f2`.`customer_id` = `c`.`id`
      AND CAST(CAST(`f2`.`field_key` AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('returningUser' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
      AND CAST(CAST(LOWER(
        UPPER(
          CAST(TRIM(' ' FROM `f2`.`field_value`) AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_uca1400_as_cs
        )
      ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('true' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
  )
  AND EXISTS(
    SELECT
      1
    FROM `customer_fields` AS `f3`
    WHERE
      `f3`.`customer_id` = `c`.`id`
      AND CAST(CAST(`f3`.`field_key` AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('city' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
      AND LOCATE(
        CAST(CAST('pun' AS CHAR CHARACTER SET utf8mb4) AS BINARY),
        CAST(CAST(LOWER(
          UPPER(
            CAST(TRIM(' ' FROM `f3`.`field_value`) AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_uca1400_as_cs
          )
        ) AS CHAR CHARACTER SET utf8mb4) AS BINARY)
      ) > 0
  )
  AND NOT EXISTS(
    SELECT
      1
    FROM `customer_fields` AS `f4`
    WHERE
      `f4`.`customer_id` = `c`.`id`
      AND CAST(CAST(`f4`.`field_key` AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('city' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
      AND CAST(CAST(LOWER(
        UPPER(
          CAST(TRIM(' ' FROM `f4`.`field_value`) AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_uca1400_as_cs
        )
      ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('pune' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
  )
  AND EXISTS(
    SELECT
      1
    FROM `customer_fields` AS `f5`
    WHERE
      `f5`.`customer_id` = `c`.`id`
      AND CAST(CAST(`f5`.`field_key` AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('nickname' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
      AND NOT (
        `f5`.`field_value` IS NULL
        OR CAST(CAST(TRIM(' ' FROM `f5`.`field_value`) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
      )
  )
