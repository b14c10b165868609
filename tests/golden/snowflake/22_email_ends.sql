SELECT
  "C"."ID" AS "customer_id"
FROM "CUSTOMERS" AS "C"
WHERE
  EXISTS(
    SELECT
      1
    FROM "CUSTOMER_CHANNELS" AS "CH1"
    WHERE
      "CH1"."CUSTOMER_ID" = "C"."ID" AND LOWER("CH1"."CHANNEL") = 'sms'
  )
  AND (
    NOT (
      "C"."EMAIL" IS NULL OR TRIM("C"."EMAIL", ' ') = ''
    )
    AND (
      LENGTH(LOWER("C"."EMAIL")) >= 12
      AND SUBSTRING(LOWER("C"."EMAIL"), LENGTH(LOWER("C"."EMAIL")) - 12 + 1, 12) = '@example.com'
    )
  )
