import { findIn, forwardingRecipient, leafName } from "./identity";

/*
 * ForwardingAddress as Get-Mailbox prints it: a recipient's identity (Set-Mailbox.md,
 * -ForwardingAddress: "Name, Display name, Alias, Distinguished name (DN), Canonical DN, Email
 * address, GUID"), resolved one way for the routing model, the pending group and the simulator.
 */
const mailboxes = [
  { Name: "Bob", Alias: "bob", Guid: "7f1c7a3e-0000-4000-8000-000000000001", PrimarySmtpAddress: "bob@contoso.com" },
  { Name: "Carol", Alias: "carol", Guid: "7f1c7a3e-0000-4000-8000-000000000002", PrimarySmtpAddress: "carol@contoso.com" },
  { Name: "Sam", Alias: "sam.sales", Guid: "7f1c7a3e-0000-4000-8000-000000000003", PrimarySmtpAddress: "sam.sales@contoso.com" },
  { Name: "Sam", Alias: "sam.support", Guid: "7f1c7a3e-0000-4000-8000-000000000004", PrimarySmtpAddress: "sam.support@contoso.com" },
];
const resolve = (value: string) => forwardingRecipient(value, findIn(mailboxes));

describe("forwardingRecipient", () => {
  test.each([
    ["a canonical name", "contoso.com/Users/Bob"],
    ["a canonical name in an OU", "contoso.com/Sales/Staff/Bob"],
    ["a distinguished name", "CN=Bob,OU=Users,DC=contoso,DC=com"],
    ["a name", "Bob"],
    ["an alias", "BOB"],
    ["a GUID", "7f1c7a3e-0000-4000-8000-000000000001"],
  ])("resolves %s to the mailbox it names", (_form, value) => {
    expect(resolve(value)).toEqual({ mailbox: mailboxes[0] });
  });

  test("reads an SMTP address (with or without its smtp: prefix) as that address", () => {
    expect(resolve("smtp:Bob@Contoso.onmicrosoft.com")).toEqual({ address: "bob@contoso.onmicrosoft.com" });
  });

  test("unescapes a comma in a distinguished name's CN", () => {
    expect(leafName("CN=Smith\\, Bob,OU=Users,DC=contoso,DC=com")).toBe("Smith, Bob");
  });

  test("answers nothing, never a guess, for a name two mailboxes share or one no mailbox has", () => {
    expect(resolve("contoso.com/Users/Sam")).toBeUndefined();
    expect(resolve("contoso.com/Users/Dave")).toBeUndefined();
    expect(resolve("Dave Display Name")).toBeUndefined();
  });
});
