package org.mediasec.h248.message;

/**
 * A package-qualified name (Annex B: {@code pkgdName = (PackageName SLASH ItemID) / (PackageName SLASH "*") /
 * ("*" SLASH "*")}), e.g. {@code nt/jit}, {@code g/cause}, {@code al/*}.
 */
public record PackageItem(String packageName, String itemName) {

    public PackageItem {
        if (packageName.isEmpty() || itemName.isEmpty()) {
            throw new IllegalArgumentException("empty package or item name");
        }
    }

    public static PackageItem of(String packageName, String itemName) {
        return new PackageItem(packageName, itemName);
    }

    /** Parses {@code pkg/item}. */
    public static PackageItem parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            throw new IllegalArgumentException("not pkg/item: " + text);
        }
        return new PackageItem(text.substring(0, slash), text.substring(slash + 1));
    }

    @Override
    public String toString() {
        return packageName + "/" + itemName;
    }
}
