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
      ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('webchat' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
  )
  AND EXISTS(
    SELECT
      1
    FROM `interactions` AS `i2`
    WHERE
      `i2`.`customer_id` = `c`.`id`
      AND CAST(CAST(LOWER(
        UPPER(CAST(`i2`.`channel` AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_uca1400_as_cs)
      ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('webchat' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
      AND `i2`.`talked_with_agent`
      AND `i2`.`occurred_at` >= CAST('2026-11-21 12:00:00' AS DATETIME)
  )
  AND EXISTS(
    SELECT
      1
    FROM `interactions` AS `i3`
    WHERE
      `i3`.`customer_id` = `c`.`id`
      AND CAST(CAST(LOWER(
        UPPER(CAST(`i3`.`channel` AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_uca1400_as_cs)
      ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('webchat' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
      AND `i3`.`completed_bot_flow`
      AND CAST(CAST(LOWER(
        UPPER(
          CAST(`i3`.`bot_flow` AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_uca1400_as_cs
        )
      ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('welcome' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
  )
  AND NOT EXISTS(
    SELECT
      1
    FROM `interactions` AS `i4`
    WHERE
      `i4`.`customer_id` = `c`.`id`
      AND CAST(CAST(LOWER(
        UPPER(CAST(`i4`.`channel` AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_uca1400_as_cs)
      ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('webchat' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
      AND `i4`.`completed_product_flow`
  )
  AND EXISTS(
    SELECT
      1
    FROM `interactions` AS `i5`
    WHERE
      `i5`.`customer_id` = `c`.`id`
      AND CAST(CAST(LOWER(
        UPPER(CAST(`i5`.`channel` AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_uca1400_as_cs)
      ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('webchat' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
      AND `i5`.`completed_collection_flow`
      AND `i5`.`occurred_at` >= CAST('2026-11-14 12:00:00' AS DATETIME)
  )
  AND EXISTS(
    SELECT
      1
    FROM `carts` AS `k6`
    WHERE
      `k6`.`customer_id` = `c`.`id`
      AND CAST(CAST(LOWER(
        UPPER(CAST(`k6`.`channel` AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_uca1400_as_cs)
      ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('webchat' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
      AND `k6`.`item_count` > 0
      AND NOT `k6`.`paid`
  )
