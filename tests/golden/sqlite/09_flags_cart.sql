SELECT
  "c"."id" AS "customer_id"
FROM "customers" AS "c"
WHERE
  EXISTS(
    SELECT
      1
    FROM "carts" AS "k1"
    WHERE
      "k1"."customer_id" = "c"."id"
      AND LOWER("k1"."channel") COLLATE BINARY = 'webchat'
      AND "k1"."item_count" > 0
      AND NOT "k1"."paid"
  )
  AND EXISTS(
    SELECT
      1
    FROM "customer_channels" AS "ch2"
    WHERE
      "ch2"."customer_id" = "c"."id"
      AND LOWER("ch2"."channel") COLLATE BINARY = 'webchat'
  )
  AND EXISTS(
    SELECT
      1
    FROM "interactions" AS "i3"
    WHERE
      "i3"."customer_id" = "c"."id"
      AND LOWER("i3"."channel") COLLATE BINARY = 'webchat'
      AND "i3"."talked_with_agent"
      AND DATETIME("i3"."occurred_at") >= DATETIME('2026-11-21 12:00:00')
  )
  AND EXISTS(
    SELECT
      1
    FROM "interactions" AS "i4"
    WHERE
      "i4"."customer_id" = "c"."id"
      AND LOWER("i4"."channel") COLLATE BINARY = 'webchat'
      AND "i4"."completed_bot_flow"
      AND LOWER("i4"."bot_flow") COLLATE BINARY = 'welcome'
  )
  AND EXISTS(
    SELECT
      1
    FROM "interactions" AS "i5"
    WHERE
      "i5"."customer_id" = "c"."id"
      AND LOWER("i5"."channel") COLLATE BINARY = 'webchat'
      AND "i5"."completed_collection_flow"
      AND DATETIME("i5"."occurred_at") >= DATETIME('2026-11-14 12:00:00')
  )
  AND NOT EXISTS(
    SELECT
      1
    FROM "interactions" AS "i6"
    WHERE
      "i6"."customer_id" = "c"."id"
      AND LOWER("i6"."channel") COLLATE BINARY = 'webchat'
      AND "i6"."completed_product_flow"
  )
