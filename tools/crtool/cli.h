/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * crtool's commands. main() handles the options every command shares and
 * hands the rest of the command line to the command: argv[0] is the command
 * name, getopt_long() restarts at optind = 1.
 */
#ifndef CRTOOL_CLI_H
#define CRTOOL_CLI_H

#include <getopt.h>

/* Exit codes: 0 is success and nothing else is. */
#define EXIT_OK 0
#define EXIT_FAIL 1

/*
 * Options any command accepts, criu's spelling: -o/--log-file, -v[N] and
 * --verbosity=N. A command appends COMMON_LONG_OPTIONS to its own long
 * options and COMMON_SHORT_OPTIONS to its short ones, and passes every option
 * it does not know itself to cli_common_option().
 */
#define COMMON_SHORT_OPTIONS "o:v::h"
#define OPT_VERBOSITY 0x1000
#define COMMON_LONG_OPTIONS                                                   \
	{ "log-file", required_argument, NULL, 'o' },                         \
	{ "verbosity", optional_argument, NULL, OPT_VERBOSITY },              \
	{ "help", no_argument, NULL, 'h' }

/*
 * Handle a common option: 0 when handled, 1 when @opt is -h/--help (the
 * command prints its usage and exits 0), -1 after printing an error for
 * an unknown option or a bad value (the command exits EXIT_FAIL).
 */
int cli_common_option(int opt, const char *arg);

/* Opens the log once the command's options are parsed; EXIT_FAIL on error. */
int cli_open_log(void);

/* The same, a bare log file name (no '/') taken inside folder @dir. */
int cli_open_log_in(const char *dir);

/* The -o argument, or NULL. */
const char *cli_log_path(void);

/*
 * The whole parsing of a command that takes only the common options and
 * @nargs operands (argv[optind]...), the log opened: -1 to go on, else the
 * exit code (after --help, or an error printed with @usage).
 */
int cli_simple_command(int argc, char **argv, const char *usage, int nargs);

/* Report that @option names a feature this build does not have yet. */
int cli_not_built(const char *option);

int cmd_check(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_decode(int argc, char **argv);
int cmd_encode(int argc, char **argv);
int cmd_x(int argc, char **argv);
int cmd_exec(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_restore(int argc, char **argv);

#endif
