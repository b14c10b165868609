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
      EXISTS(
        SELECT
          1
        FROM "INTERACTIONS" AS "I2"
        WHERE
          "I2"."CUSTOMER_ID" = "C"."ID"
          AND LOWER("I2"."CHANNEL") = 'whatsapp'
          AND "I2"."OCCURRED_AT" < CAST('2026-10-29 12:00:00' AS TIMESTAMP)
      )
      AND NOT EXISTS(
        SELECT
          1
        FROM "INTERACTIONS" AS "I3"
        WHERE
          "I3"."CUSTOMER_ID" = "C"."ID"
          AND LOWER("I3"."CHANNEL") = 'whatsapp'
          AND "I3"."OCCURRED_AT" >= CAST('2026-10-29 12:00:00' AS TIMESTAMP)
      )
    )
    OR (
      EXISTS(
        SELECT
          1
        FROM "INTERACTIONS" AS "I4"
        WHERE
          "I4"."CUSTOMER_ID" = "C"."ID"
          AND LOWER("I4"."CHANNEL") = 'whatsapp'
          AND "I4"."OCCURRED_AT" >= CAST('2026-11-01 00:00:00' AS TIMESTAMP)
          AND "I4"."OCCURRED_AT" < CAST('2026-11-16 00:00:00' AS TIMESTAMP)
      )
      AND NOT EXISTS(
        SELECT
          1
        FROM "INTERACTIONS" AS "I5"
        WHERE
          "I5"."CUSTOMER_ID" = "C"."ID"
          AND LOWER("I5"."CHANNEL") = 'whatsapp'
          AND "I5"."OCCURRED_AT" >= CAST('2026-11-16 00:00:00' AS TIMESTAMP)
      )
    )
  )
  AND EXISTS(
    SELECT
      1
    FROM "INTERACTIONS" AS "I6"
    WHERE
      "I6"."CUSTOMER_ID" = "C"."ID"
      AND LOWER("I6"."CHANNEL") = 'whatsapp'
      AND "I6"."OCCURRED_AT" >= CAST('2026-11-20 09:15:01' AS TIMESTAMP)
  )
  AND NOT EXISTS(
    SELECT
      1
    FROM "INTERACTIONS" AS "I7"
    WHERE
      "I7"."CUSTOMER_ID" = "C"."ID"
      AND LOWER("I7"."CHANNEL") = 'whatsapp'
      AND "I7"."OCCURRED_AT" >= CAST('2026-11-28 10:30:00' AS TIMESTAMP)
  )
