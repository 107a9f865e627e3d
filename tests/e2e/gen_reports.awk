# gen_reports.awk -v N=COUNT [-v SEED=S]: COUNT distinct short defence-diplomacy
# reports as JSON Lines (url, outlet, published, title, text), for tests and
# benchmarks that need many documents without shipping them.
BEGIN {
  split("Pakistan Libya Turkey Indonesia Japan Philippines India France Egypt Brazil", c, " ");
  split("Harbour Post|Daily Ledger|Northern Wire|Coastal Times|Capital Review", o, "|");
  split("met|visited|signed a defence agreement with|held talks with|criticized|praised", v, "|");
  srand(SEED ? SEED : 7);
  for (i = 1; i <= N; i++) {
    a = c[1 + i % 10]; b = c[1 + int(i / 10) % 10]; if (a == b) b = c[1 + (i + 3) % 10];
    vv = v[1 + i % 6]; oo = o[1 + i % 5];
    d = sprintf("2025-%02d-%02d", 1 + int(i / 28) % 12, 1 + i % 28);
    printf "{\"url\":\"https://example.org/r/%d\",\"outlet\":\"%s\",\"published\":\"%s\",\"title\":\"%s officials and %s counterparts, report %d\",\"text\":\"The defence minister of %s %s the army chief of %s on %s. Officials said the talks covered training and joint exercises (ref %d-%d). The two sides agreed to meet again next year.\"}\n", i, oo, d, a, b, i, a, vv, b, d, i, int(rand() * 1000000);
  }
}
