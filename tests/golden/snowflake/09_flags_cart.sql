SELECT
  "C"."ID" AS "customer_id"
FROM "CUSTOMERS" AS "C"
WHERE
  EXISTS(
    SELECT
      1
    FROM "CUSTOMER_CHANNELS" AS "CH1"
    WHERE
      "CH1"."CUSTOMER_ID" = "C"."ID" AND LOWER("CH1"."CHANNEL") = 'webchat'
  )
  AND EXISTS(
    SELECT
      1
    FROM "INTERACTIONS" AS "I2"
    WHERE
      "I2"."CUSTOMER_ID" = "C"."ID"
      AND LOWER("I2"."CHANNEL") = 'webchat'
      AND "I2"."TALKED_WITH_AGENT"
      AND "I2"."OCCURRED_AT" >= CAST('2026-11-21 12:00:00' AS TIMESTAMP)
  )
  AND EXISTS(
    SELECT
      1
    FROM "INTERACTIONS" AS "I3"
    WHERE
      "I3"."CUSTOMER_ID" = "C"."ID"
      AND LOWER("I3"."CHANNEL") = 'webchat'
      AND "I3"."COMPLETED_BOT_FLOW"
      AND LOWER("I3"."BOT_FLOW") = 'welcome'
  )
  AND NOT EXISTS(
    SELECT
      1
    FROM "INTERACTIONS" AS "I4"
    WHERE
      "I4"."CUSTOMER_ID" = "C"."ID"
      AND LOWER("I4"."CHANNEL") = 'webchat'
      AND "I4"."COMPLETED_PRODUCT_FLOW"
  )
  AND EXISTS(
    SELECT
      1
    FROM "INTERACTIONS" AS "I5"
    WHERE
      "I5"."CUSTOMER_ID" = "C"."ID"
      AND LOWER("I5"."CHANNEL") = 'webchat'
      AND "I5"."COMPLETED_COLLECTION_FLOW"
      AND "I5"."OCCURRED_AT" >= CAST('2026-11-14 12:00:00' AS TIMESTAMP)
  )
  AND EXISTS(
    SELECT
      1
    FROM "CARTS" AS "K6"
    WHERE
      "K6"."CUSTOMER_ID" = "C"."ID"
      AND LOWER("K6"."CHANNEL") = 'webchat'
      AND "K6"."ITEM_COUNT" > 0
      AND NOT "K6"."PAID"
  )
