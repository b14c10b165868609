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
        "ch1"."channel" COLLATE "C" ILIKE 'telegram'
        OR (
          OCTET_LENGTH("ch1"."channel") <> LENGTH("ch1"."channel")
          AND TRANSLATE(
            LOWER(TRANSLATE("ch1"."channel", 'İ', 'i') COLLATE "und-x-icu"),
            'µıſͅςϐϑϕϖϰϱϵᲀᲁᲂᲃᲄᲅᲆᲇᲈẛι',
            'μisισβθφπκρεвдосттъѣꙋṡι'
          ) COLLATE "C" = 'telegram'
        )
      )
  )
  AND (
    EXISTS(
      SELECT
        1
      FROM "customer_tags" AS "t2"
      WHERE
        "t2"."customer_id" = "c"."id"
        AND (
          "t2"."tag" COLLATE "C" ILIKE 'vip'
          OR (
            OCTET_LENGTH("t2"."tag") <> LENGTH("t2"."tag")
            AND TRANSLATE(
              LOWER(TRANSLATE("t2"."tag", 'İ', 'i') COLLATE "und-x-icu"),
              'µıſͅςϐϑϕϖϰϱϵᲀᲁᲂᲃᲄᲅᲆᲇᲈẛι',
              'μisισβθφπκρεвдосттъѣꙋṡι'
            ) COLLATE "C" = 'vip'
          )
        )
    )
    OR (
      (
        NOT "c"."gender" IS NULL
        AND (
          "c"."gender" COLLATE "C" ILIKE 'female'
          OR (
            OCTET_LENGTH("c"."gender") <> LENGTH("c"."gender")
            AND TRANSLATE(
              LOWER(TRANSLATE("c"."gender", 'İ', 'i') COLLATE "und-x-icu"),
              'µıſͅςϐϑϕϖϰϱϵᲀᲁᲂᲃᲄᲅᲆᲇᲈẛι',
              'μisισβθφπκρεвдосттъѣꙋṡι'
            ) COLLATE "C" = 'female'
          )
        )
      )
      AND NOT EXISTS(
        SELECT
          1
        FROM "carts" AS "k3"
        WHERE
          "k3"."customer_id" = "c"."id"
          AND (
            "k3"."channel" COLLATE "C" ILIKE 'telegram'
            OR (
              OCTET_LENGTH("k3"."channel") <> LENGTH("k3"."channel")
              AND TRANSLATE(
                LOWER(TRANSLATE("k3"."channel", 'İ', 'i') COLLATE "und-x-icu"),
                'µıſͅςϐϑϕϖϰϱϵᲀᲁᲂᲃᲄᲅᲆᲇᲈẛι',
                'μisισβθφπκρεвдосттъѣꙋṡι'
              ) COLLATE "C" = 'telegram'
            )
          )
          AND "k3"."item_count" > 0
          AND NOT "k3"."paid"
      )
    )
  )
