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
      AND LOWER(UPPER("ch1"."channel")) COLLATE C = 'webchat'
  )
  AND "c"."id" IN (
    SELECT
      "i2"."customer_id"
    FROM "interactions" AS "i2"
    WHERE
      NOT "i2"."customer_id" IS NULL
      AND LOWER(UPPER("i2"."channel")) COLLATE C = 'webchat'
      AND "i2"."talked_with_agent"
      AND "i2"."occurred_at" >= CAST('2026-11-21 12:00:00' AS TIMESTAMP)
  )
  AND "c"."id" IN (
    SELECT
      "i3"."customer_id"
    FROM "interactions" AS "i3"
    WHERE
      NOT "i3"."customer_id" IS NULL
      AND LOWER(UPPER("i3"."channel")) COLLATE C = 'webchat'
      AND "i3"."completed_bot_flow"
      AND LOWER(UPPER("i3"."bot_flow")) COLLATE C = 'welcome'
  )
  AND NOT "c"."id" IN (
    SELECT
      "i4"."customer_id"
    FROM "interactions" AS "i4"
    WHERE
      NOT "i4"."customer_id" IS NULL
      AND LOWER(UPPER("i4"."channel")) COLLATE C = 'webchat'
      AND "i4"."completed_product_flow"
  )
  AND "c"."id" IN (
    SELECT
      "i5"."customer_id"
    FROM "interactions" AS "i5"
    WHERE
      NOT "i5"."customer_id" IS NULL
      AND LOWER(UPPER("i5"."channel")) COLLATE C = 'webchat'
      AND "i5"."completed_collection_flow"
      AND "i5"."occurred_at" >= CAST('2026-11-14 12:00:00' AS TIMESTAMP)
  )
  AND "c"."id" IN (
    SELECT
      "k6"."customer_id"
    FROM "carts" AS "k6"
    WHERE
      NOT "k6"."customer_id" IS NULL
      AND LOWER(UPPER("k6"."channel")) COLLATE C = 'webchat'
      AND "k6"."item_count" > 0
      AND NOT "k6"."paid"
  )
