SELECT
  "C"."ID" AS "customer_id"
FROM "CUSTOMERS" AS "C"
WHERE
  EXISTS(
    SELECT
      1
    FROM "CUSTOMER_CHANNELS" AS "CH1"
    WHERE
      "CH1"."CUSTOMER_ID" = "C"."ID" AND LOWER("CH1"."CHANNEL") = 'whatsapp'
  )
  AND (
    (
      NOT (
        "C"."NAME" IS NULL OR TRIM("C"."NAME", ' ') = ''
      )
      AND CHARINDEX('50%_off', LOWER("C"."NAME")) > 0
    )
    OR (
      NOT (
        "C"."NAME" IS NULL OR TRIM("C"."NAME", ' ') = ''
      )
      AND SUBSTRING(LOWER("C"."NAME"), 1, 2) = 'as'
    )
    OR (
      NOT (
        "C"."NAME" IS NULL OR TRIM("C"."NAME", ' ') = ''
      )
      AND (
        LENGTH(LOWER("C"."NAME")) >= 3
        AND SUBSTRING(LOWER("C"."NAME"), LENGTH(LOWER("C"."NAME")) - 3 + 1, 3) = 'rao'
      )
    )
  )
  AND NOT (
    "C"."EMAIL" IS NULL OR TRIM("C"."EMAIL", ' ') = ''
  )
  AND NOT (
    NOT "C"."PHONE" IS NULL
    AND LOWER(
      REPLACE(
        REPLACE(
          REPLACE(REPLACE(REPLACE(REPLACE("C"."PHONE", ' ', ''), '-', ''), '.', ''), '(', ''),
          ')',
          ''
        ),
        '+',
        ''
      )
    ) = '919876543210'
  )
  AND (
    (
      NOT "C"."GENDER" IS NULL AND LOWER("C"."GENDER") IN ('female', 'other')
    )
    OR (
      "C"."GENDER" IS NULL OR TRIM("C"."GENDER", ' ') = ''
    )
  )
