using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption.ConfigurationModel;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace SsoOperator.Outpost.Sessions;

/// <summary>
/// A Data Protection key ring that is derived, not stored: each shared session key yields the same key
/// id and master key on every replica, so any replica opens any other's cookies without a shared store.
/// The first key is the newest (it seals); the rest only open cookies sealed before a rotation.
/// </summary>
internal sealed class SharedKeyRepository(IReadOnlyList<byte[]> keys) : IXmlRepository
{
    private static readonly DateTimeOffset Epoch = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Never = new(9000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public IReadOnlyCollection<XElement> GetAllElements() =>
        keys.Select((key, index) => KeyElement(key, Epoch.AddDays(keys.Count - index))).ToList();

    public void StoreElement(XElement element, string friendlyName) =>
        throw new InvalidOperationException("outpost keys come from the shared session key; none are stored");

    /// <summary>A key element in the layout XmlKeyManager reads: id, dates and the encryptor descriptor.</summary>
    private static XElement KeyElement(byte[] secret, DateTimeOffset activation)
    {
        // Note: HKDF (RFC 5869) with distinct info strings, so the id reveals nothing about the master key.
        var id = new Guid(HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 16, info: "outpost key id"u8.ToArray()));
        var master = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 64, info: "outpost master key"u8.ToArray());
        var descriptor = new AuthenticatedEncryptorDescriptor(
            new AuthenticatedEncryptorConfiguration
            {
                EncryptionAlgorithm = EncryptionAlgorithm.AES_256_CBC,
                ValidationAlgorithm = ValidationAlgorithm.HMACSHA256,
            },
            new Secret(master)).ExportToXml();

        return new XElement("key",
            new XAttribute("id", id),
            new XAttribute("version", 1),
            new XElement("creationDate", activation),
            new XElement("activationDate", activation),
            new XElement("expirationDate", Never),
            new XElement("descriptor",
                new XAttribute("deserializerType", descriptor.DeserializerType.AssemblyQualifiedName!),
                descriptor.SerializedDescriptorElement));
    }
}
