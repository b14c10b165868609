SELECT
  `c`.`id` AS `customer_id`
FROM `customers` AS `c`
WHERE
  EXISTS(
    SELECT
      1
    FROM `customer_tags` AS `t1`
    WHERE
      `t1`.`customer_id` = `c`.`id`
      AND CAST(CAST(LOWER(
        UPPER(CAST(`t1`.`tag` AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_uca1400_as_cs)
      ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('vip' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
  )
  AND EXISTS(
    SELECT
      1
    FROM `customer_channels` AS `ch2`
    WHERE
      `ch2`.`customer_id` = `c`.`id`
      AND CAST(CAST(LOWER(
        UPPER(
          CAST(`ch2`.`channel` AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_uca1400_as_cs
        )
      ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('sms' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
  )
