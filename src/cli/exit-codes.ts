/** sysexits.h: the configuration is wrong; retrying without changing it will not help. */
export const EX_CONFIG = 78;
export const EX_FAILURE = 1;
