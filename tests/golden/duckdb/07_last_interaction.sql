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
    "c"."id" IN (
      SELECT
        "i2"."customer_id"
      FROM "interactions" AS "i2"
      WHERE
        NOT "i2"."customer_id" IS NULL
        AND LOWER(UPPER("i2"."channel")) COLLATE C = 'whatsapp'
      GROUP BY
        "i2"."customer_id"
      HAVING
        MAX("i2"."occurred_at") < CAST('2026-10-29 12:00:00' AS TIMESTAMP)
    )
    OR "c"."id" IN (
      SELECT
        "i3"."customer_id"
      FROM "interactions" AS "i3"
      WHERE
        NOT "i3"."customer_id" IS NULL
        AND LOWER(UPPER("i3"."channel")) COLLATE C = 'whatsapp'
      GROUP BY
        "i3"."customer_id"
      HAVING
        MAX("i3"."occurred_at") >= CAST('2026-11-01 00:00:00' AS TIMESTAMP)
        AND MAX("i3"."occurred_at") < CAST('2026-11-16 00:00:00' AS TIMESTAMP)
    )
  )
  AND "c"."id" IN (
    SELECT
      "i4"."customer_id"
    FROM "interactions" AS "i4"
    WHERE
      NOT "i4"."customer_id" IS NULL
      AND LOWER(UPPER("i4"."channel")) COLLATE C = 'whatsapp'
      AND "i4"."occurred_at" >= CAST('2026-11-20 09:15:01' AS TIMESTAMP)
  )
  AND NOT "c"."id" IN (
    SELECT
      "i5"."customer_id"
    FROM "interactions" AS "i5"
    WHERE
      NOT "i5"."customer_id" IS NULL
      AND LOWER(UPPER("i5"."channel")) COLLATE C = 'whatsapp'
      AND "i5"."occurred_at" >= CAST('2026-11-28 10:30:00' AS TIMESTAMP)
  )
