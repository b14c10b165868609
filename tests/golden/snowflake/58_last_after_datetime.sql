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
  AND EXISTS(
    SELECT
      1
    FROM "INTERACTIONS" AS "I2"
    WHERE
      "I2"."CUSTOMER_ID" = "C"."ID"
      AND LOWER("I2"."CHANNEL") = 'whatsapp'
      AND "I2"."OCCURRED_AT" >= CAST('2026-11-20 09:15:01' AS TIMESTAMP)
  )
