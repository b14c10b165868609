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
    FROM `customer_tags` AS `t2`
    WHERE
      `t2`.`customer_id` = `c`.`id`
      AND CAST(CAST(LOWER(
        UPPER(CAST(`t2`.`tag` AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_uca1400_as_cs)
      ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('vip' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
  )
  AND (
    NOT `c`.`gender` IS NULL
    AND CAST(CAST(LOWER(
      UPPER(CAST(`c`.`gender` AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_uca1400_as_cs)
    ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('female' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
  )
  AND EXISTS(
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
  AND EXISTS(
    SELECT
      1
    FROM `customer_fields` AS `f4`
    WHERE
      `f4`.`customer_id` = `c`.`id`
      AND CAST(CAST(`f4`.`field_key` AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('returningUser' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
      AND CAST(CAST(LOWER(
        UPPER(
          CAST(TRIM(' ' FROM `f4`.`field_value`) AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_uca1400_as_cs
        )
      ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('true' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
  )
