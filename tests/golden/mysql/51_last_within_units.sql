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
    FROM `interactions` AS `i2`
    WHERE
      `i2`.`customer_id` = `c`.`id`
      AND CAST(CAST(LOWER(
        UPPER(CAST(`i2`.`channel` AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_uca1400_as_cs)
      ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('whatsapp' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
      AND (
        `i2`.`occurred_at` >= CAST('2026-11-28 10:30:00' AS DATETIME)
        OR `i2`.`occurred_at` >= CAST('2026-11-28 11:00:00' AS DATETIME)
        OR `i2`.`occurred_at` >= CAST('2026-11-14 12:00:00' AS DATETIME)
        OR `i2`.`occurred_at` >= CAST('2026-11-27 12:00:00' AS DATETIME)
        OR `i2`.`occurred_at` >= CAST('2026-11-28 11:59:00' AS DATETIME)
        OR `i2`.`occurred_at` >= CAST('2026-11-28 09:00:00' AS DATETIME)
        OR `i2`.`occurred_at` >= CAST('2026-11-21 12:00:00' AS DATETIME)
      )
  )
