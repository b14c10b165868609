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
    COALESCE(
      (
        TO_CHAR(
          (
            SELECT
              MAX("I2"."OCCURRED_AT")
            FROM "INTERACTIONS" AS "I2"
            WHERE
              "I2"."CUSTOMER_ID" = "C"."ID" AND LOWER("I2"."CHANNEL") = 'whatsapp'
          ),
          'hh24:mi:ss'
        ) >= '22:00:00'
        OR TO_CHAR(
          (
            SELECT
              MAX("I2"."OCCURRED_AT")
            FROM "INTERACTIONS" AS "I2"
            WHERE
              "I2"."CUSTOMER_ID" = "C"."ID" AND LOWER("I2"."CHANNEL") = 'whatsapp'
          ),
          'hh24:mi:ss'
        ) < '06:00:00'
      ),
      FALSE
    )
    OR COALESCE(
      (
        TO_CHAR(
          (
            SELECT
              MAX("I3"."OCCURRED_AT")
            FROM "INTERACTIONS" AS "I3"
            WHERE
              "I3"."CUSTOMER_ID" = "C"."ID" AND LOWER("I3"."CHANNEL") = 'whatsapp'
          ),
          'hh24:mi:ss'
        ) >= '18:00:30'
      ),
      FALSE
    )
  )
