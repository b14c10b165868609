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
          OCTET_LENGTH("ch1"."channel") <> LENGTH("ch1"."channel")
          AND TRANSLATE(
            LOWER(TRANSLATE("ch1"."channel", 'İ', 'i') COLLATE "und-x-icu"),
            'µıſͅςϐϑϕϖϰϱϵᲀᲁᲂᲃᲄᲅᲆᲇᲈẛι',
            'μisισβθφπκρεвдосттъѣꙋṡι'
          ) COLLATE "C" = 'whatsapp'
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
        "i2"."channel" COLLATE "C" ILIKE 'whatsapp'
        OR (
          OCTET_LENGTH("i2"."channel") <> LENGTH("i2"."channel")
          AND TRANSLATE(
            LOWER(TRANSLATE("i2"."channel", 'İ', 'i') COLLATE "und-x-icu"),
            'µıſͅςϐϑϕϖϰϱϵᲀᲁᲂᲃᲄᲅᲆᲇᲈẛι',
            'μisισβθφπκρεвдосттъѣꙋṡι'
          ) COLLATE "C" = 'whatsapp'
        )
      )
      AND (
        "i2"."occurred_at" >= CAST('2026-11-28 10:30:00' AS TIMESTAMP)
        OR "i2"."occurred_at" >= CAST('2026-11-28 11:00:00' AS TIMESTAMP)
        OR "i2"."occurred_at" >= CAST('2026-11-14 12:00:00' AS TIMESTAMP)
        OR "i2"."occurred_at" >= CAST('2026-11-27 12:00:00' AS TIMESTAMP)
        OR "i2"."occurred_at" >= CAST('2026-11-28 11:59:00' AS TIMESTAMP)
        OR "i2"."occurred_at" >= CAST('2026-11-28 09:00:00' AS TIMESTAMP)
        OR "i2"."occurred_at" >= CAST('2026-11-21 12:00:00' AS TIMESTAMP)
      )
  )
