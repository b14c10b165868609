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
  AND (
    (
      EXISTS(
        SELECT
          1
        FROM `interactions` AS `i2`
        WHERE
          `i2`.`customer_id` = `c`.`id`
          AND CAST(CAST(LOWER(
            UPPER(CAST(`i2`.`channel` AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_uca1400_as_cs)
          ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('whatsapp' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
          AND `i2`.`occurred_at` < CAST('2026-10-29 12:00:00' AS DATETIME)
      )
      AND NOT EXISTS(
        SELECT
          1
        FROM `interactions` AS `i3`
        WHERE
          `i3`.`customer_id` = `c`.`id`
          AND CAST(CAST(LOWER(
            UPPER(CAST(`i3`.`channel` AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_uca1400_as_cs)
          ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('whatsapp' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
          AND `i3`.`occurred_at` >= CAST('2026-10-29 12:00:00' AS DATETIME)
      )
    )
    OR (
      EXISTS(
        SELECT
          1
        FROM `interactions` AS `i4`
        WHERE
          `i4`.`customer_id` = `c`.`id`
          AND CAST(CAST(LOWER(
            UPPER(CAST(`i4`.`channel` AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_uca1400_as_cs)
          ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('whatsapp' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
          AND `i4`.`occurred_at` >= CAST('2026-11-01 00:00:00' AS DATETIME)
          AND `i4`.`occurred_at` < CAST('2026-11-16 00:00:00' AS DATETIME)
      )
      AND NOT EXISTS(
        SELECT
          1
        FROM `interactions` AS `i5`
        WHERE
          `i5`.`customer_id` = `c`.`id`
          AND CAST(CAST(LOWER(
            UPPER(CAST(`i5`.`channel` AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_uca1400_as_cs)
          ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('whatsapp' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
          AND `i5`.`occurred_at` >= CAST('2026-11-16 00:00:00' AS DATETIME)
      )
    )
  )
  AND EXISTS(
    SELECT
      1
    FROM `interactions` AS `i6`
    WHERE
      `i6`.`customer_id` = `c`.`id`
      AND CAST(CAST(LOWER(
        UPPER(CAST(`i6`.`channel` AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_uca1400_as_cs)
      ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('whatsapp' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
      AND `i6`.`occurred_at` >= CAST('2026-11-20 09:15:01' AS DATETIME)
  )
  AND NOT EXISTS(
    SELECT
      1
    FROM `interactions` AS `i7`
    WHERE
      `i7`.`customer_id` = `c`.`id`
      AND CAST(CAST(LOWER(
        UPPER(CAST(`i7`.`channel` AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_uca1400_as_cs)
      ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('whatsapp' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
      AND `i7`.`occurred_at` >= CAST('2026-11-28 10:30:00' AS DATETIME)
  )
