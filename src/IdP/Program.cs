using SsoOperator.IdP;
using SsoOperator.IdP.Accounts;
using SsoOperator.IdP.Mfa;

if (ResetMfaCommand.Matches(args))
{
    return await ResetMfaCommand.RunAsync(args, Console.Out, CancellationToken.None);
}
if (RemoveFromGroupCommand.Matches(args))
{
    return await RemoveFromGroupCommand.RunAsync(args, Console.Out, CancellationToken.None);
}

await using var app = IdpApp.Build(args);
await IdpApp.PrepareAsync(app, CancellationToken.None);
await app.RunAsync();
return 0;
