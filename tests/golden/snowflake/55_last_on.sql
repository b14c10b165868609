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
    EXISTS(
      SELECT
        1
      FROM "INTERACTIONS" AS "I2"
      WHERE
        "I2"."CUSTOMER_ID" = "C"."ID"
        AND LOWER("I2"."CHANNEL") = 'whatsapp'
        AND "I2"."OCCURRED_AT" >= CAST('2026-11-20 00:00:00' AS TIMESTAMP)
        AND "I2"."OCCURRED_AT" < CAST('2026-11-21 00:00:00' AS TIMESTAMP)
    )
    AND NOT EXISTS(
      SELECT
        1
      FROM "INTERACTIONS" AS "I3"
      WHERE
        "I3"."CUSTOMER_ID" = "C"."ID"
        AND LOWER("I3"."CHANNEL") = 'whatsapp'
        AND "I3"."OCCURRED_AT" >= CAST('2026-11-21 00:00:00' AS TIMESTAMP)
    )
  )
