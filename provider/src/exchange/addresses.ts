/** Address helpers shared by the program, the simulated tenant and the source. */
export const bare = (address: string): string => address.replace(/^smtp:/i, "").trim().toLowerCase();
export const domainOf = (address: string): string => bare(address).split("@")[1] ?? "";
export const sameAddress = (a: string, b: string): boolean => bare(a) === bare(b);
/**
 * A smart host as one value, however it is written: Exchange prints an IP smart host as an
 * address literal in brackets ("[198.51.100.25]", as SMTP writes one, RFC 5321 §4.1.3; the cmdlet
 * reference shows them unbracketed, "10.10.1.1", for input), and a host name in any case.
 */
export const smartHostKey = (host: string): string => host.trim().replace(/^\[(.*)\]$/, "$1").trim().toLowerCase();
