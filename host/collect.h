/* collect.h - the collector's query commands (query.c), called from collect.c's main. */
#ifndef NB_COLLECT_H
#define NB_COLLECT_H

/* cmd is "table", "value" or "distinct"; argv[0] is the CSV. Returns the exit status. */
int query_main(const char *cmd, int argc, char **argv);

#endif
