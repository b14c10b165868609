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
      ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('sms' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
  )
  AND EXISTS(
    SELECT
      1
    FROM `customer_tags` AS `t2`
    WHERE
      `t2`.`customer_id` = `c`.`id`
      AND CAST(CAST(LOWER(
        UPPER(CAST(`t2`.`tag` AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_uca1400_as_cs)
      ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) IN (
        CAST(CAST('gold' AS CHAR CHARACTER SET utf8mb4) AS BINARY),
        CAST(CAST('vip' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
      )
  )
  AND NOT EXISTS(
    SELECT
      1
    FROM `customer_tags` AS `t3`
    WHERE
      `t3`.`customer_id` = `c`.`id`
      AND CAST(CAST(LOWER(
        UPPER(CAST(`t3`.`tag` AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_uca1400_as_cs)
      ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('churn' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
  )
  AND NOT NOT EXISTS(
    SELECT
      1
    FROM `customer_tags` AS `t4`
    WHERE
      `t4`.`customer_id` = `c`.`id`
  )
