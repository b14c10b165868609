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
        "ch1"."channel" COLLATE "C" ILIKE 'sms'
        OR (
          OCTET_LENGTH("ch1"."channel") <> LENGTH("ch1"."channel")
          AND TRANSLATE(
            LOWER(TRANSLATE("ch1"."channel", 'İ', 'i') COLLATE "und-x-icu"),
            'µıſͅςϐϑϕϖϰϱϵᲀᲁᲂᲃᲄᲅᲆᲇᲈẛι',
            'μisισβθφπκρεвдосттъѣꙋṡι'
          ) COLLATE "C" = 'sms'
        )
      )
  )
  AND (
    NOT "c"."email" IS NULL
    AND (
      "c"."email" COLLATE "C" ILIKE 'asha@example.com'
      OR (
        OCTET_LENGTH("c"."email") <> LENGTH("c"."email")
        AND TRANSLATE(
          LOWER(TRANSLATE("c"."email", 'İ', 'i') COLLATE "und-x-icu"),
          'µıſͅςϐϑϕϖϰϱϵᲀᲁᲂᲃᲄᲅᲆᲇᲈẛι',
          'μisισβθφπκρεвдосттъѣꙋṡι'
        ) COLLATE "C" = 'asha@example.com'
      )
    )
  )
