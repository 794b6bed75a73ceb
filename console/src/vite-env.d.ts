/** The build's version label, set by vite.config.ts. */
declare const __CONSOLE_BUILD__: string;
