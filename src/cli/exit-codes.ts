/** sysexits.h: the configuration is wrong; retrying without changing it will not help. */
export const EX_CONFIG = 78;
export const EX_FAILURE = 1;
/** sysexits.h: the input is not valid data (e.g. a request that fails validation). */
export const EX_DATAERR = 65;
/** sysexits.h: the input file cannot be read. */
export const EX_NOINPUT = 66;
/** sysexits.h: the command line is wrong (unknown command or option). */
export const EX_USAGE = 64;
