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
      AND CHARINDEX('50%', LOWER("C"."NAME")) > 0
    )
    OR (
      NOT (
        "C"."NAME" IS NULL OR TRIM("C"."NAME", ' ') = ''
      )
      AND CHARINDEX('a_b', LOWER("C"."NAME")) > 0
    )
  )
