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
      AND CAST(CAST(`f2`.`field_key` AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('plan' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
      AND CAST(CAST(LOWER(
        UPPER(
          CAST(TRIM(' ' FROM `f2`.`field_value`) AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_uca1400_as_cs
        )
      ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('gold' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
  )
