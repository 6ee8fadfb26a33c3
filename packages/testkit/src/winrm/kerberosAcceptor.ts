/** The part of the `kerberos` package the simulated server uses. */
interface KerberosServerLibrary {
  readonly initializeServer: (service: string) => Promise<{
    step: (token: string) => Promise<string>;
    readonly username: string;
    readonly contextComplete: boolean;
  }>;
}

/**
 * Kerberos on the simulated WinRM server: the service's keytab (say, one
 * exported from a Samba DC with `samba-tool domain exportkeytab`) and its
 * name as a GSS host-based service, `HTTP@win1.corp.example`.
 *
 * @category testing
 */
export interface SimKerberosService {
  readonly keytab: string;
  readonly servicePrincipal: string;
}

/** What a client's token proved: its principal and the reply token. @category testing */
export interface AcceptedKerberos {
  readonly principal: string;
  readonly replyToken: string;
}

/**
 * Accepts one SPNEGO token (base64) with the service's keytab, through
 * `kerberos.initializeServer`. The keytab is handed to MIT Kerberos as
 * `KRB5_KTNAME` in this process's environment (a test process's). Resolves
 * to the client's principal and the token that proves the service to it,
 * or to why the token was refused.
 *
 * @category testing
 */
export const acceptKerberos = async (
  service: SimKerberosService,
  token: string,
): Promise<AcceptedKerberos | string> => {
  let library: KerberosServerLibrary;
  try {
    const module = (await import('kerberos')) as { default?: unknown };
    library = (module.default ?? module) as KerberosServerLibrary;
  } catch (error) {
    return `the kerberos package cannot be loaded: ${String(error)}`;
  }
  process.env['KRB5_KTNAME'] = `FILE:${service.keytab}`;
  try {
    const server = await library.initializeServer(service.servicePrincipal);
    const replyToken = await server.step(token);
    if (!server.contextComplete || server.username === '') {
      return 'the Kerberos context did not complete in one round';
    }

    return { principal: server.username, replyToken };
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
};
