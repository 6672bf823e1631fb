/** The shortest token the console and the metrics take: long enough that guessing is hopeless. */
export const MIN_TOKEN_LENGTH = 24;
