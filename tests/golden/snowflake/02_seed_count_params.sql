SELECT
  COUNT(*) AS "count"
FROM "CUSTOMERS" AS "C"
WHERE
  EXISTS(
    SELECT
      1
    FROM "CUSTOMER_CHANNELS" AS "CH1"
    WHERE
      "CH1"."CUSTOMER_ID" = "C"."ID" AND LOWER("CH1"."CHANNEL") = ?
  )
  AND EXISTS(
    SELECT
      1
    FROM "CUSTOMER_TAGS" AS "T2"
    WHERE
      "T2"."CUSTOMER_ID" = "C"."ID" AND LOWER("T2"."TAG") = ?
  )
  AND (
    NOT "C"."GENDER" IS NULL AND LOWER("C"."GENDER") = ?
  )
  AND EXISTS(
    SELECT
      1
    FROM "INTERACTIONS" AS "I3"
    WHERE
      "I3"."CUSTOMER_ID" = "C"."ID"
      AND LOWER("I3"."CHANNEL") = ?
      AND "I3"."OCCURRED_AT" >= CAST(? AS TIMESTAMP)
  )
  AND EXISTS(
    SELECT
      1
    FROM "CUSTOMER_FIELDS" AS "F4"
    WHERE
      "F4"."CUSTOMER_ID" = "C"."ID"
      AND "F4"."FIELD_KEY" = ?
      AND LOWER(TRIM("F4"."FIELD_VALUE", ' ')) = ?
  )
-- params: ['whatsapp', 'vip', 'female', 'whatsapp', '2026-10-29 12:00:00', 'returningUser', 'true']
