/** Address helpers shared by the program, the simulated tenant and the source. */
export const bare = (address: string): string => address.replace(/^smtp:/i, "").trim().toLowerCase();
export const domainOf = (address: string): string => bare(address).split("@")[1] ?? "";
export const sameAddress = (a: string, b: string): boolean => bare(a) === bare(b);
