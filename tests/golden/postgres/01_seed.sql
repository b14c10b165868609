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
  AND EXISTS(
    SELECT
      1
    FROM "customer_tags" AS "t2"
    WHERE
      "t2"."customer_id" = "c"."id"
      AND (
        "t2"."tag" COLLATE "C" ILIKE 'vip'
        OR (
          OCTET_LENGTH("t2"."tag") > 3
          AND OCTET_LENGTH("t2"."tag") <> LENGTH("t2"."tag")
          AND TRANSLATE("t2"."tag", 'İıſK', 'iisk') COLLATE "C" ILIKE 'vip'
        )
      )
  )
  AND (
    NOT "c"."gender" IS NULL
    AND (
      "c"."gender" COLLATE "C" ILIKE 'female'
      OR (
        OCTET_LENGTH("c"."gender") > 6
        AND OCTET_LENGTH("c"."gender") <> LENGTH("c"."gender")
        AND TRANSLATE("c"."gender", 'İıſK', 'iisk') COLLATE "C" ILIKE 'female'
      )
    )
  )
  AND EXISTS(
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
  AND EXISTS(
    SELECT
      1
    FROM "customer_fields" AS "f4"
    WHERE
      "f4"."customer_id" = "c"."id"
      AND "f4"."field_key" = 'returningUser'
      AND (
        "f4"."field_value" COLLATE "C" ILIKE 'true'
        OR (
          OCTET_LENGTH("f4"."field_value") > 4
          AND (
            LEFT("f4"."field_value", 1) = ' '
            OR RIGHT("f4"."field_value", 1) = ' '
            OR OCTET_LENGTH("f4"."field_value") <> LENGTH("f4"."field_value")
          )
          AND (
            TRIM(' ' FROM "f4"."field_value") COLLATE "C" ILIKE 'true'
            OR (
              OCTET_LENGTH(TRIM(' ' FROM "f4"."field_value")) > 4
              AND OCTET_LENGTH(TRIM(' ' FROM "f4"."field_value")) <> LENGTH(TRIM(' ' FROM "f4"."field_value"))
              AND TRANSLATE(TRIM(' ' FROM "f4"."field_value"), 'İıſK', 'iisk') COLLATE "C" ILIKE 'true'
            )
          )
        )
      )
  )
