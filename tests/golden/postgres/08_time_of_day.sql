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
    COALESCE(
      (
        TO_CHAR(
          (
            SELECT
              MAX("i2"."occurred_at")
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
          ),
          'HH24:MI:SS'
        ) >= '22:00:00'
        OR TO_CHAR(
          (
            SELECT
              MAX("i2"."occurred_at")
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
          ),
          'HH24:MI:SS'
        ) < '06:00:00'
      ),
      FALSE
    )
    OR COALESCE(
      (
        TO_CHAR(
          (
            SELECT
              MAX("i3"."occurred_at")
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
          ),
          'HH24:MI:SS'
        ) >= '18:00:30'
      ),
      FALSE
    )
  )
