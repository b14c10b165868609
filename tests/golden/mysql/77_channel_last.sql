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
      AND CAST(CAST(LOWER(`t1`.`tag`) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('vip' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
  )
  AND EXISTS(
    SELECT
      1
    FROM `customer_channels` AS `ch2`
    WHERE
      `ch2`.`customer_id` = `c`.`id`
      AND CAST(CAST(LOWER(`ch2`.`channel`) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('sms' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
  )
