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
        "ch1"."channel" COLLATE "C" ILIKE 'whatsapp'
        OR (
          OCTET_LENGTH("ch1"."channel") > 8
          AND OCTET_LENGTH("ch1"."channel") <> LENGTH("ch1"."channel")
          AND TRANSLATE("ch1"."channel", 'İıſK', 'iisk') COLLATE "C" ILIKE 'whatsapp'
        )
      )
  )
  AND (
    (
      EXISTS(
        SELECT
          1
        FROM "interactions" AS "i2"
        WHERE
          "i2"."customer_id" = "c"."id"
          AND (
            "i2"."channel" COLLATE "C" ILIKE 'whatsapp'
            OR (
              OCTET_LENGTH("i2"."channel") > 8
              AND OCTET_LENGTH("i2"."channel") <> LENGTH("i2"."channel")
              AND TRANSLATE("i2"."channel", 'İıſK', 'iisk') COLLATE "C" ILIKE 'whatsapp'
            )
          )
          AND "i2"."occurred_at" < CAST('2026-10-29 12:00:00' AS TIMESTAMP)
      )
      AND NOT EXISTS(
        SELECT
          1
        FROM "interactions" AS "i3"
        WHERE
          "i3"."customer_id" = "c"."id"
          AND (
            "i3"."channel" COLLATE "C" ILIKE 'whatsapp'
            OR (
              OCTET_LENGTH("i3"."channel") > 8
              AND OCTET_LENGTH("i3"."channel") <> LENGTH("i3"."channel")
              AND TRANSLATE("i3"."channel", 'İıſK', 'iisk') COLLATE "C" ILIKE 'whatsapp'
            )
          )
          AND "i3"."occurred_at" >= CAST('2026-10-29 12:00:00' AS TIMESTAMP)
      )
    )
    OR (
      EXISTS(
        SELECT
          1
        FROM "interactions" AS "i4"
        WHERE
          "i4"."customer_id" = "c"."id"
          AND (
            "i4"."channel" COLLATE "C" ILIKE 'whatsapp'
            OR (
              OCTET_LENGTH("i4"."channel") > 8
              AND OCTET_LENGTH("i4"."channel") <> LENGTH("i4"."channel")
              AND TRANSLATE("i4"."channel", 'İıſK', 'iisk') COLLATE "C" ILIKE 'whatsapp'
            )
          )
          AND "i4"."occurred_at" >= CAST('2026-11-01 00:00:00' AS TIMESTAMP)
          AND "i4"."occurred_at" < CAST('2026-11-16 00:00:00' AS TIMESTAMP)
      )
      AND NOT EXISTS(
        SELECT
          1
        FROM "interactions" AS "i5"
        WHERE
          "i5"."customer_id" = "c"."id"
          AND (
            "i5"."channel" COLLATE "C" ILIKE 'whatsapp'
            OR (
              OCTET_LENGTH("i5"."channel") > 8
              AND OCTET_LENGTH("i5"."channel") <> LENGTH("i5"."channel")
              AND TRANSLATE("i5"."channel", 'İıſK', 'iisk') COLLATE "C" ILIKE 'whatsapp'
            )
          )
          AND "i5"."occurred_at" >= CAST('2026-11-16 00:00:00' AS TIMESTAMP)
      )
    )
  )
  AND EXISTS(
    SELECT
      1
    FROM "interactions" AS "i6"
    WHERE
      "i6"."customer_id" = "c"."id"
      AND (
        "i6"."channel" COLLATE "C" ILIKE 'whatsapp'
        OR (
          OCTET_LENGTH("i6"."channel") > 8
          AND OCTET_LENGTH("i6"."channel") <> LENGTH("i6"."channel")
          AND TRANSLATE("i6"."channel", 'İıſK', 'iisk') COLLATE "C" ILIKE 'whatsapp'
        )
      )
      AND "i6"."occurred_at" >= CAST('2026-11-20 09:15:01' AS TIMESTAMP)
  )
  AND NOT EXISTS(
    SELECT
      1
    FROM "interactions" AS "i7"
    WHERE
      "i7"."customer_id" = "c"."id"
      AND (
        "i7"."channel" COLLATE "C" ILIKE 'whatsapp'
        OR (
          OCTET_LENGTH("i7"."channel") > 8
          AND OCTET_LENGTH("i7"."channel") <> LENGTH("i7"."channel")
          AND TRANSLATE("i7"."channel", 'İıſK', 'iisk') COLLATE "C" ILIKE 'whatsapp'
        )
      )
      AND "i7"."occurred_at" >= CAST('2026-11-28 10:30:00' AS TIMESTAMP)
  )
