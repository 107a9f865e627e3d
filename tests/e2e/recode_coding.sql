-- What coding made of a store's documents, row ids left out (they differ
-- between a re-coded store and a fresh ingest), for the recode_*.sh tests:
-- mentions, events with their counts and codebook fields, places, actor
-- rows, issue rows.  Two stores that print the same coded the same.
SELECT 'mention', doc_id, sentence, source, target, cameo, modality, verb_text, source_text,
  target_text, source_known, target_known, issues, source_name, target_name, source_inferred,
  target_inferred, lead, outlet_id, sentence_text
  FROM mentions ORDER BY 2, 3, 4, 5, 6, 8, 9, 10;
SELECT 'event', day, source, target, cameo, root, quad, goldstein, plover_event, plover_mode,
  num_mentions, num_articles, num_sources
  FROM events ORDER BY 2, 3, 4, 5;
SELECT 'place', m.doc_id, m.sentence, m.source, m.target, m.cameo, m.verb_text, g.role, g.type,
  g.name, g.country, g.iso2, g.fips, g.adm1, g.lat, g.lon, g.feature_id, g.confidence
  FROM mention_geo g JOIN mentions m ON m.id = g.mention_id ORDER BY 2, 3, 4, 5, 6, 7, 8;
SELECT 'actor', code, text, known, mentions, first_doc FROM actors ORDER BY 2, 3;
SELECT 'issue', doc_id, code FROM issues ORDER BY 2, 3;
