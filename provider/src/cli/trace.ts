import { main } from "./status";

// `npm run trace -- --stack X user@domain`: the hops of a message to one user from each entry point.
main("trace", process.argv.slice(2));
