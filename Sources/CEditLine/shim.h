#include <stdio.h>
#include <editline/readline.h>

/* Accessors for libedit's global variables: Swift 6 refuses direct use of C globals as shared
   mutable state, and the REPL touches them only from the main thread. */
static inline void fundflow_set_completion(rl_completion_func_t *function) {
    rl_attempted_completion_function = function;
}
static inline const char *fundflow_line_buffer(void) { return rl_line_buffer; }
static inline int fundflow_point(void) { return rl_point; }
