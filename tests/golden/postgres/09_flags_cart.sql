SELECT
  "c"."id" AS "customer_id"
FROM "customers" AS "c"
WHERE
  EXISTS(
    SELECT
      1
    FROM "customer_channels" AS "ch1"
    WHERE
      "ch1"."customer_id" = "c"."id"
      AND (
        "ch1"."channel" COLLATE "C" ILIKE 'webchat'
        OR (
          OCTET_LENGTH("ch1"."channel") > 7
          AND OCTET_LENGTH("ch1"."channel") <> LENGTH("ch1"."channel")
          AND TRANSLATE("ch1"."channel", 'İıſK', 'iisk') COLLATE "C" ILIKE 'webchat'
        )
      )
  )
  AND EXISTS(
    SELECT
      1
    FROM "interactions" AS "i2"
    WHERE
      "i2"."customer_id" = "c"."id"
      AND (
        "i2"."channel" COLLATE "C" ILIKE 'webchat'
        OR (
          OCTET_LENGTH("i2"."channel") > 7
          AND OCTET_LENGTH("i2"."channel") <> LENGTH("i2"."channel")
          AND TRANSLATE("i2"."channel", 'İıſK', 'iisk') COLLATE "C" ILIKE 'webchat'
        )
      )
      AND "i2"."talked_with_agent"
      AND "i2"."occurred_at" >= CAST('2026-11-21 12:00:00' AS TIMESTAMP)
  )
  AND EXISTS(
    SELECT
      1
    FROM "interactions" AS "i3"
    WHERE
      "i3"."customer_id" = "c"."id"
      AND (
        "i3"."channel" COLLATE "C" ILIKE 'webchat'
        OR (
          OCTET_LENGTH("i3"."channel") > 7
          AND OCTET_LENGTH("i3"."channel") <> LENGTH("i3"."channel")
          AND TRANSLATE("i3"."channel", 'İıſK', 'iisk') COLLATE "C" ILIKE 'webchat'
        )
      )
      AND "i3"."completed_bot_flow"
      AND (
        "i3"."bot_flow" COLLATE "C" ILIKE 'welcome'
        OR (
          OCTET_LENGTH("i3"."bot_flow") > 7
          AND OCTET_LENGTH("i3"."bot_flow") <> LENGTH("i3"."bot_flow")
          AND TRANSLATE("i3"."bot_flow", 'İıſK', 'iisk') COLLATE "C" ILIKE 'welcome'
        )
      )
  )
  AND NOT EXISTS(
    SELECT
      1
    FROM "interactions" AS "i4"
    WHERE
      "i4"."customer_id" = "c"."id"
      AND (
        "i4"."channel" COLLATE "C" ILIKE 'webchat'
        OR (
          OCTET_LENGTH("i4"."channel") > 7
          AND OCTET_LENGTH("i4"."channel") <> LENGTH("i4"."channel")
          AND TRANSLATE("i4"."channel", 'İıſK', 'iisk') COLLATE "C" ILIKE 'webchat'
        )
      )
      AND "i4"."completed_product_flow"
  )
  AND EXISTS(
    SELECT
      1
    FROM "interactions" AS "i5"
    WHERE
      "i5"."customer_id" = "c"."id"
      AND (
        "i5"."channel" COLLATE "C" ILIKE 'webchat'
        OR (
          OCTET_LENGTH("i5"."channel") > 7
          AND OCTET_LENGTH("i5"."channel") <> LENGTH("i5"."channel")
          AND TRANSLATE("i5"."channel", 'İıſK', 'iisk') COLLATE "C" ILIKE 'webchat'
        )
      )
      AND "i5"."completed_collection_flow"
      AND "i5"."occurred_at" >= CAST('2026-11-14 12:00:00' AS TIMESTAMP)
  )
  AND EXISTS(
    SELECT
      1
    FROM "carts" AS "k6"
    WHERE
      "k6"."customer_id" = "c"."id"
      AND (
        "k6"."channel" COLLATE "C" ILIKE 'webchat'
        OR (
          OCTET_LENGTH("k6"."channel") > 7
          AND OCTET_LENGTH("k6"."channel") <> LENGTH("k6"."channel")
          AND TRANSLATE("k6"."channel", 'İıſK', 'iisk') COLLATE "C" ILIKE 'webchat'
        )
      )
      AND "k6"."item_count" > 0
      AND NOT "k6"."paid"
  )
