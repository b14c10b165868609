SELECT
  "c"."id" AS "customer_id"
FROM "customers" AS "c"
WHERE
  "c"."id" IN (
    SELECT
      "ch1"."customer_id"
    FROM "customer_channels" AS "ch1"
    WHERE
      NOT "ch1"."customer_id" IS NULL
      AND LOWER(UPPER("ch1"."channel")) COLLATE C = 'whatsapp'
  )
  AND (
    COALESCE(
      (
        STRFTIME(
          (
            SELECT
              MAX("i2"."occurred_at")
            FROM "interactions" AS "i2"
            WHERE
              "i2"."customer_id" = "c"."id"
              AND LOWER(UPPER("i2"."channel")) COLLATE C = 'whatsapp'
          ),
          '%H:%M:%S'
        ) >= '22:00:00'
        OR STRFTIME(
          (
            SELECT
              MAX("i2"."occurred_at")
            FROM "interactions" AS "i2"
            WHERE
              "i2"."customer_id" = "c"."id"
              AND LOWER(UPPER("i2"."channel")) COLLATE C = 'whatsapp'
          ),
          '%H:%M:%S'
        ) < '06:00:00'
      ),
      FALSE
    )
    OR COALESCE(
      (
        STRFTIME(
          (
            SELECT
              MAX("i3"."occurred_at")
            FROM "interactions" AS "i3"
            WHERE
              "i3"."customer_id" = "c"."id"
              AND LOWER(UPPER("i3"."channel")) COLLATE C = 'whatsapp'
          ),
          '%H:%M:%S'
        ) >= '18:00:30'
      ),
      FALSE
    )
  )
