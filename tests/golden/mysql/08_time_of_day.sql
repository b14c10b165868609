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
    COALESCE(
      (
        CAST(CAST((
          SELECT
            MAX(`i2`.`occurred_at`)
          FROM `interactions` AS `i2`
          WHERE
            `i2`.`customer_id` = `c`.`id`
            AND CAST(CAST(LOWER(
              UPPER(CAST(`i2`.`channel` AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_uca1400_as_cs)
            ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('whatsapp' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
        ) AS TIME) AS CHAR) >= '22:00:00'
        OR CAST(CAST((
          SELECT
            MAX(`i2`.`occurred_at`)
          FROM `interactions` AS `i2`
          WHERE
            `i2`.`customer_id` = `c`.`id`
            AND CAST(CAST(LOWER(
              UPPER(CAST(`i2`.`channel` AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_uca1400_as_cs)
            ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('whatsapp' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
        ) AS TIME) AS CHAR) < '06:00:00'
      ),
      FALSE
    )
    OR COALESCE(
      (
        CAST(CAST((
          SELECT
            MAX(`i3`.`occurred_at`)
          FROM `interactions` AS `i3`
          WHERE
            `i3`.`customer_id` = `c`.`id`
            AND CAST(CAST(LOWER(
              UPPER(CAST(`i3`.`channel` AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_uca1400_as_cs)
            ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('whatsapp' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
        ) AS TIME) AS CHAR) >= '18:00:30'
      ),
      FALSE
    )
  )
