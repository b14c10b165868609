SELECT
  "c"."id" AS "customer_id"
FROM "customers" AS "c"
WHERE
  (
    NOT "c"."name" IS NULL
    AND LOWER("c"."name") COLLATE BINARY = 'say "hi" \ it''s	ok é'
  )
  AND EXISTS(
    SELECT
      1
    FROM "customer_channels" AS "ch1"
    WHERE
      "ch1"."customer_id" = "c"."id" AND LOWER("ch1"."channel") COLLATE BINARY = 'sms'
  )
  AND (
    NOT EXISTS(
      SELECT
        1
      FROM "customer_tags" AS "t2"
      WHERE
        "t2"."customer_id" = "c"."id" AND LOWER("t2"."tag") COLLATE BINARY = 'x'
    )
    OR NOT (
      "c"."name" IS NULL OR TRIM("c"."name", ' ') COLLATE BINARY = ''
    )
  )
  AND NOT NOT (
    EXISTS(
      SELECT
        1
      FROM "customer_tags" AS "t3"
      WHERE
        "t3"."customer_id" = "c"."id" AND LOWER("t3"."tag") COLLATE BINARY = 'vip'
    )
    OR (
      EXISTS(
        SELECT
          1
        FROM "customer_tags" AS "t4"
        WHERE
          "t4"."customer_id" = "c"."id" AND LOWER("t4"."tag") COLLATE BINARY = 'gold'
      )
      AND NOT (
        NOT "c"."gender" IS NULL AND LOWER("c"."gender") COLLATE BINARY = 'male'
      )
    )
  )
