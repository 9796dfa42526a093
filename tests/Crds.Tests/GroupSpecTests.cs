namespace SsoOperator.Crds.Tests;

public sealed class GroupSpecTests
{
    [Fact]
    public void Validate_NameAndMembers_ReturnsNoErrors()
    {
        var spec = new GroupSpec { GroupName = "homelab-admins", Members = ["alice", "bob@example.com"] };

        Assert.Empty(spec.Validate());
    }

    [Fact]
    public void Validate_EmptyMember_NamesItsIndex()
    {
        var spec = new GroupSpec { Members = ["alice", " "] };

        var error = Assert.Single(spec.Validate());

        Assert.Equal("spec.members[1]", error.Path);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" admins")]
    [InlineData("admins ")]
    public void Validate_GroupNameEmptyOrPadded_Refused(string name)
    {
        var spec = new GroupSpec { GroupName = name };

        var error = Assert.Single(spec.Validate());

        Assert.Equal("spec.groupName", error.Path);
        Assert.Contains("remove it to use the resource's name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EffectiveGroupName_WithoutGroupName_IsTheName()
    {
        var group = new Group { Metadata = new() { Name = "admins" } };

        Assert.Equal("admins", group.EffectiveGroupName);
        group.Spec.GroupName = "homelab-admins";
        Assert.Equal("homelab-admins", group.EffectiveGroupName);
    }
}
