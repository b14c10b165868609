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
      NOT (
        `c`.`name` IS NULL
        OR CAST(CAST(TRIM(' ' FROM `c`.`name`) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
      )
      AND LOCATE(
        CAST(CAST('50%_off' AS CHAR CHARACTER SET utf8mb4) AS BINARY),
        CAST(CAST(LOWER(
          UPPER(CAST(`c`.`name` AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_uca1400_as_cs)
        ) AS CHAR CHARACTER SET utf8mb4) AS BINARY)
      ) > 0
    )
    OR (
      NOT (
        `c`.`name` IS NULL
        OR CAST(CAST(TRIM(' ' FROM `c`.`name`) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
      )
      AND CAST(CAST(SUBSTRING(
        LOWER(
          UPPER(CAST(`c`.`name` AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_uca1400_as_cs)
        ),
        1,
        2
      ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('as' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
    )
    OR (
      NOT (
        `c`.`name` IS NULL
        OR CAST(CAST(TRIM(' ' FROM `c`.`name`) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
      )
      AND (
        CHAR_LENGTH(
          LOWER(
            UPPER(CAST(`c`.`name` AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_uca1400_as_cs)
          )
        ) >= 3
        AND CAST(CAST(SUBSTRING(
          LOWER(
            UPPER(CAST(`c`.`name` AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_uca1400_as_cs)
          ),
          CHAR_LENGTH(
            LOWER(
              UPPER(CAST(`c`.`name` AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_uca1400_as_cs)
            )
          ) - 3 + 1,
          3
        ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('rao' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
      )
    )
  )
  AND NOT (
    `c`.`email` IS NULL
    OR CAST(CAST(TRIM(' ' FROM `c`.`email`) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
  )
  AND NOT (
    NOT `c`.`phone` IS NULL
    AND CAST(CAST(LOWER(
      UPPER(
        CAST(REPLACE(
          REPLACE(
            REPLACE(REPLACE(REPLACE(REPLACE(`c`.`phone`, ' ', ''), '-', ''), '.', ''), '(', ''),
            ')',
            ''
          ),
          '+',
          ''
        ) AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_uca1400_as_cs
      )
    ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('919876543210' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
  )
  AND (
    (
      NOT `c`.`gender` IS NULL
      AND CAST(CAST(LOWER(
        UPPER(CAST(`c`.`gender` AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_uca1400_as_cs)
      ) AS CHAR CHARACTER SET utf8mb4) AS BINARY) IN (
        CAST(CAST('female' AS CHAR CHARACTER SET utf8mb4) AS BINARY),
        CAST(CAST('other' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
      )
    )
    OR (
      `c`.`gender` IS NULL
      OR CAST(CAST(TRIM(' ' FROM `c`.`gender`) AS CHAR CHARACTER SET utf8mb4) AS BINARY) = CAST(CAST('' AS CHAR CHARACTER SET utf8mb4) AS BINARY)
    )
  )
